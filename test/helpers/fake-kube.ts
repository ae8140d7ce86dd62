// A local HTTP server standing in for the few Kubernetes API paths the toolkit uses, answering
// with the shapes the API documents (Status objects for errors, APIResourceList for discovery),
// and a kubeconfig pointing at it.
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (
  req: Request,
) => { status: number; body: unknown } | undefined | Promise<{ status: number; body: unknown } | undefined>;

export function status(code: number, reason: string, message: string) {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
  };
}

const DISCOVERY: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  '/api/v1': [
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
  ],
  '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  '/apis/keda.sh/v1alpha1': [{ name: 'scaledobjects', kind: 'ScaledObject', namespaced: true }],
  '/apis/argoproj.io/v1alpha1': [{ name: 'applications', kind: 'Application', namespaced: true }],
};

export interface FakeKube {
  url: string;
  kubeconfig: string;
  requests: Request[];
  /** Live objects by API path, e.g. /apis/apps/v1/namespaces/ns/deployments/worker. */
  objects: Map<string, unknown>;
  handlers: Handler[];
  close(): Promise<void>;
}

export async function fakeKube(dir: string, token = 'sekret-token-123'): Promise<FakeKube> {
  const requests: Request[] = [];
  const objects = new Map<string, unknown>();
  const handlers: Handler[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const r: Request = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(r);
    const send = (code: number, body: unknown) => {
      if (code < 0) return; // never answer (timeouts)
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, status(401, 'Unauthorized', 'Unauthorized').body);
    for (const h of handlers) {
      const out = await h(r);
      if (out) return send(out.status, out.body);
    }
    const disc = DISCOVERY[r.path];
    if (disc && r.method === 'GET')
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: r.path.replace(/^\/apis?\//, ''),
        resources: disc.map((d) => ({ ...d, singularName: '', verbs: ['get', 'list', 'patch', 'create'] })),
      });
    if (r.method === 'GET' && objects.has(r.path)) return send(200, objects.get(r.path));
    const name = r.path.split('/').pop();
    return send(404, status(404, 'NotFound', `the object "${name}" was not found`).body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "${url}", insecure-skip-tls-verify: true}
- name: down
  cluster: {server: "http://127.0.0.1:9", insecure-skip-tls-verify: true}
users:
- name: ci
  user: {token: ${token}}
- name: stale
  user: {token: expired-token-456}
contexts:
- name: fake
  context: {cluster: fake, user: ci}
- name: stale
  context: {cluster: fake, user: stale}
- name: down
  context: {cluster: down, user: ci}
current-context: fake
`,
  );
  return {
    url,
    kubeconfig,
    requests,
    objects,
    handlers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
