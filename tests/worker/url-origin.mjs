// A tiny HTTP origin on loopback for the allow-listed-URL tests: answers GET/HEAD from a table of paths, each
// { status?, headers?, bytes? }, and records the requests it gets.
import http from 'node:http';

/** Starts the server on 127.0.0.1 and resolves to { origin, requests, stop }. */
export async function startUrlOrigin(routes) {
  const requests = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method, path: request.url });
    const route = routes[request.url];
    if (!route) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here');
      return;
    }
    const headers = { ...route.headers };
    if (route.bytes) headers['Content-Length'] = String(route.bytes.length);
    response.writeHead(route.status ?? 200, headers);
    response.end(request.method === 'HEAD' ? undefined : route.bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
