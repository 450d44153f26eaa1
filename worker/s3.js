// Requests to the S3-compatible bucket that originals may live in, signed with AWS Signature V4 (aws4fetch).
// The bucket is addressed path-style, `<S3_ENDPOINT>/<S3_BUCKET>/<key>`, which every S3-compatible service accepts
// (R2, MinIO, Ceph, AWS); with S3_BUCKET empty the endpoint already names the bucket (virtual-hosted style).
//
// Every function takes plain settings, { endpoint, bucket, region, accessKeyId, secretAccessKey } (config.js reads
// them from env; the import CLI passes its own), and answers the bucket's own response.
import { AwsClient } from 'aws4fetch';

// aws4fetch retries 5xx and 429 up to 10 times by default; a request path can afford one retry, not ten.
const S3_RETRIES = 1;

/** The object's URL. Each path segment is encoded as SigV4 canonicalises it, so what is signed is what is sent. */
export function s3ObjectUrl(settings, key) {
  const segments = settings.bucket ? [settings.bucket, ...key.split('/')] : key.split('/');
  return `${settings.endpoint}/${segments.map(encodeRfc3986).join('/')}`;
}

/** A signed GET or HEAD of one object; the response is the bucket's, whatever its status. */
export function s3Fetch(settings, key, method) {
  return clientFor(settings).fetch(s3ObjectUrl(settings, key), { method });
}

/** The `<Code>` of an S3 XML error body (e.g. SignatureDoesNotMatch), or null; HEAD answers carry no body. */
export async function s3ErrorCode(response) {
  const text = response.body === null ? '' : await response.text();
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null;
}

// One client per isolate and credentials: aws4fetch caches the derived signing key for the day inside it.
let cachedClient = null;
function clientFor({ accessKeyId, secretAccessKey, region }) {
  const identity = `${accessKeyId}\n${secretAccessKey}\n${region}`;
  if (cachedClient?.identity !== identity) {
    cachedClient = {
      identity,
      client: new AwsClient({ accessKeyId, secretAccessKey, region, service: 's3', retries: S3_RETRIES }),
    };
  }
  return cachedClient.client;
}

function encodeRfc3986(segment) {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
