export const APP_PORT = 8080;
export const READINESS_PATH = '/readyz';
export const LIVENESS_PATH = '/healthz';
export const DATABASE_NAME = 'myfile';
export const APP_DB_USER = 'myfile_app';
export const METRICS_NAMESPACE = 'MyFile';
export const KEY_RING_ROTATION_DAYS = 30;
