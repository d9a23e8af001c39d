export { newareCsvReader } from './reader.js';
