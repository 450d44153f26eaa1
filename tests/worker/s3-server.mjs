// A real S3-compatible server on loopback for the origin-tier tests: @20minutes/s3rver (a maintained fork of
// s3rver that verifies AWS Signature V4 — the original s3rver 3.x accepts any V4 signature, so it could not tell a
// signed request from a badly signed one). It stores objects on disk under a temporary folder and records every
// request it answers, so tests can see what reached the origin and how it was signed.
import S3rver from '@20minutes/s3rver';
import AWSAccount from '@20minutes/s3rver/lib/models/account.js';
import { AwsClient } from 'aws4fetch';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Test-only credentials; the Worker under test gets the same through --var (as it would get secrets).
export const S3_TEST_CREDENTIALS = { accessKeyId: 'EDGEPIXTEST', secretAccessKey: 'edgepix-test-secret-not-real' };
const REGION = 'us-east-1';

/**
 * Starts the server with `bucket` created and resolves to { endpoint, requests, putObject, setSecret, stop }.
 * `requests` lists { method, path, authorization } in arrival order.
 */
export async function startS3Server({ bucket }) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'edgepix-s3-'));
  const account = new AWSAccount(111122223333, 'edgepix-tests');
  account.createKeyPair(S3_TEST_CREDENTIALS.accessKeyId, S3_TEST_CREDENTIALS.secretAccessKey);
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;

  const requests = [];
  server.httpServer.on('request', (request) => {
    requests.push({ method: request.method, path: request.url, authorization: request.headers.authorization ?? null });
  });
  const client = new AwsClient({ ...S3_TEST_CREDENTIALS, service: 's3', region: REGION, retries: 0 });

  return {
    endpoint,
    requests,
    /** Uploads through the S3 API itself (a signed PUT), as any S3 client would. */
    async putObject(key, bytes, contentType) {
      const url = `${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const response = await client.fetch(url, { method: 'PUT', body: bytes, headers: { 'Content-Type': contentType } });
      if (response.status !== 200) throw new Error(`PUT ${key}: ${response.status} ${await response.text()}`);
      return { etag: response.headers.get('ETag') };
    },
    /** Changes the secret the server expects for the test access key (as a rotation at the provider would). */
    setSecret(secretAccessKey) {
      account.createKeyPair(S3_TEST_CREDENTIALS.accessKeyId, secretAccessKey);
    },
    async stop() {
      server.httpServer.closeAllConnections(); // idle keep-alive sockets from workerd would hold close() open
      await server.close();
      account.revokeAccessKey(S3_TEST_CREDENTIALS.accessKeyId);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
