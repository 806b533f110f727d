export const PACKAGE_NAME = '@pedseg/postprocess';
