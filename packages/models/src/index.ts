export const PACKAGE_NAME = '@pedseg/models';
