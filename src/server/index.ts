export { buildApp, defaultWebRoot } from './app.js';
export type { AppOptions } from './app.js';
export { startServer } from './serve.js';
export type { RunningServer, ServeOptions } from './serve.js';
export { openApiDocument } from './openapi.js';
export { sanitiseFileName } from './routes/upload.js';
