export const PACKAGE_NAME = '@pedseg/losses';
