import * as lambda from 'aws-cdk-lib/aws-lambda';

export const APP_PORT = 8080;
export const READINESS_PATH = '/readyz';
export const LIVENESS_PATH = '/healthz';
export const DATABASE_NAME = 'myfile';
export const APP_DB_USER = 'myfile_app';
export const METRICS_NAMESPACE = 'MyFile';
export const KEY_RING_ROTATION_DAYS = 30;

/**
 * Lambda offers no Node.js 26 runtime yet (its newest is nodejs24.x, supported until
 * 2028-04-30): the rotation functions run on 24 while the image runs 26, the active LTS.
 */
export const ROTATION_LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ROTATION_LAMBDA_TARGET = 'node24';

/** CloudFront certificates and CLOUDFRONT-scoped WAF ACLs exist only in us-east-1. */
export const EDGE_REGION = 'us-east-1';
/** The header CloudFront adds to API requests and the ALB requires (rotated secret value). */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';
/** Rotation period of the database, Redis and origin secrets. */
export const CREDENTIAL_ROTATION_DAYS = 30;

/** The app's OpenID Connect callback below PUBLIC_URL (the server's oidc routes). */
export const oidcCallbackPath = (providerId: string) => `/api/auth/oidc/${providerId}/callback`;
/**
 * The app asks for 10 characters and a strength estimate; Cognito cannot estimate strength,
 * so its pool asks for more length (and refuses breached passwords through threat protection).
 */
export const COGNITO_PASSWORD_MIN_LENGTH = 12;
