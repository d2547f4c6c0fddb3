export { originAllowed } from './origin';
export { cors, type CorsOptions } from './middleware';
