/**
 * The local stack's fixed values, in a module of their own: the CLIs (npm run import, digest,
 * retention, forms, schooljaar) need them but not the emulators stack.ts loads (about half a
 * second of every command's start).
 */

/** The loopback address every local stand-in listens on. */
export const LOCAL_HOST = '127.0.0.1';

/** Static credentials the local stand-ins accept (s3rver insists on these). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Region the local clients use; the stand-ins ignore it (DynamoDB Local runs with -sharedDb). */
export const LOCAL_REGION = 'eu-west-1';
