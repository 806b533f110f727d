import { defineConfig } from 'tsup';
import { pedsegTsup } from '../../tsup.shared';

export const config = defineConfig(pedsegTsup(['src/index.ts']));
export default config;
