export const PACKAGE_NAME = '@pedseg/core';
