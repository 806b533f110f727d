export const PACKAGE_NAME = '@pedseg/metrics';
