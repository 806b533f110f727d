export const PACKAGE_NAME = '@pedseg/volume';
