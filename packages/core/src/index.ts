export * from './backend/index.js';
export * from './layers/index.js';
export * from './persistence/index.js';
