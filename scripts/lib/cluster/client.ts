// The clusters as the Kubernetes API shows them, through the official client library
// (@kubernetes/client-node): kubeconfig (KUBECONFIG or ~/.kube/config, `--context`), the in-cluster
// service account, or a server and token from CI variables. Every failure becomes one clear
// SourceError that names the server and never the credentials.
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { SourceError } from '../errors.ts';

export interface ConnectOptions {
  context?: string;
  /** Per-request limit in milliseconds (default 15 s). */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Cluster {
  server: string;
  context: string;
  getCustomObject(
    group: string,
    version: string,
    namespace: string,
    plural: string,
    name: string,
  ): Promise<Record<string, unknown>>;
  /** Any object by apiVersion/kind/namespace/name (the library discovers the resource). */
  read(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Promise<Record<string, unknown> | null>;
  /** Server-side apply with dryRun=All: null when the apiserver accepts the object, else its
   * refusal (422 Invalid, 400, a webhook's denial...). Connection and credential failures throw. */
  dryRunApply(object: Record<string, unknown>): Promise<{ status: number; message: string } | null>;
}

/** CI variables for a cluster without a kubeconfig: GITOPS_K8S_SERVER, GITOPS_K8S_TOKEN and
 * optionally GITOPS_K8S_CA_DATA (base64 PEM) or GITOPS_K8S_INSECURE=true. */
export function kubeConfigFrom(opts: ConnectOptions = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  if (env.GITOPS_K8S_SERVER && env.GITOPS_K8S_TOKEN) {
    kc.loadFromOptions({
      clusters: [
        {
          name: 'ci',
          server: env.GITOPS_K8S_SERVER,
          caData: env.GITOPS_K8S_CA_DATA,
          skipTLSVerify: env.GITOPS_K8S_INSECURE === 'true',
        },
      ],
      users: [{ name: 'ci', token: env.GITOPS_K8S_TOKEN }],
      contexts: [{ name: 'ci', cluster: 'ci', user: 'ci' }],
      currentContext: 'ci',
    });
    return kc;
  }
  try {
    kc.loadFromDefault();
  } catch (err) {
    throw new SourceError('KUBECONFIG', `cannot read the kubeconfig: ${(err as Error).message}`, {
      file: env.KUBECONFIG,
      hint: 'set KUBECONFIG, or GITOPS_K8S_SERVER and GITOPS_K8S_TOKEN in CI',
    });
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context))
      throw new SourceError('UNKNOWN_CONTEXT', `no context "${opts.context}" in the kubeconfig`, {
        file: env.KUBECONFIG,
        hint: `contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || '(none)'
        }`,
      });
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster())
    throw new SourceError('NO_CLUSTER', 'no cluster configured', {
      hint: 'set KUBECONFIG (or ~/.kube/config), pass --context, or set GITOPS_K8S_SERVER and GITOPS_K8S_TOKEN',
    });
  return kc;
}

function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** The apiserver's own words: the `message` of the Status object it answered with. */
function apiMessage(err: ApiException<unknown>, secrets: (string | undefined)[]): string {
  const body = err.body;
  let message = '';
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      message = body;
    }
  } else if (body && typeof body === 'object')
    message = String((body as { message?: unknown }).message ?? '');
  return redact(message.trim(), secrets);
}

/** One clear error per failure mode: refused, unreachable, timeout, 401, 403, 404, others. */
export function clusterError(
  err: unknown,
  server: string,
  what: string,
  secrets: (string | undefined)[] = [],
): SourceError {
  if (err instanceof SourceError) return err;
  if (err instanceof ApiException) {
    const message = apiMessage(err, secrets);
    switch (err.code) {
      case 401:
        return new SourceError(
          'UNAUTHORIZED',
          `${server} refused the credentials (401 Unauthorized) reading ${what}`,
          {
            hint: 'the token or client certificate is missing or expired; renew the kubeconfig or GITOPS_K8S_TOKEN',
          },
        );
      case 403:
        return new SourceError(
          'FORBIDDEN',
          `${server} forbids reading ${what} (403 Forbidden)${message ? `: ${message}` : ''}`,
          {
            hint: 'grant this identity get/list on that resource (Argo CD Applications live in the argocd namespace)',
          },
        );
      case 404:
        return new SourceError('NOT_FOUND', `${what} does not exist on ${server} (404 Not Found)`, {
          hint: 'check the name and namespace, and that the CRD (Argo CD, KEDA) is installed',
        });
      default:
        return new SourceError(
          'API_ERROR',
          `${server} answered ${err.code} reading ${what}${message ? `: ${message}` : ''}`,
        );
    }
  }
  const e = err as { code?: string; cause?: { code?: string }; message?: string; name?: string };
  const code = e.code ?? e.cause?.code ?? '';
  if (code === 'ECONNREFUSED')
    return new SourceError('UNREACHABLE', `cannot connect to ${server}: connection refused`, {
      hint: 'is the cluster up and the address right? (kubeconfig server, or GITOPS_K8S_SERVER)',
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new SourceError('UNREACHABLE', `cannot resolve the host of ${server}`, {
      hint: 'check the server address',
    });
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT' || e.name === 'AbortError')
    return new SourceError('TIMEOUT', `${server} did not answer in time reading ${what}`, {
      hint: 'the API server is slow or unreachable; retry, or raise --request-timeout',
    });
  return new SourceError(
    'API_ERROR',
    `talking to ${server} about ${what}: ${redact(e.message ?? String(err), secrets)}`,
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export function connect(opts: ConnectOptions = {}): Cluster {
  const kc = kubeConfigFrom(opts);
  const server = kc.getCurrentCluster()?.server ?? '(unknown server)';
  const user = kc.getCurrentUser();
  const secrets = [user?.token, user?.password, opts.env?.GITOPS_K8S_TOKEN ?? process.env.GITOPS_K8S_TOKEN];
  const timeout = opts.requestTimeoutMs ?? 15_000;
  const custom = kc.makeApiClient(CustomObjectsApi);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(f(), timeout);
    } catch (err) {
      throw clusterError(err, server, what, secrets);
    }
  };
  return {
    server,
    context: kc.getCurrentContext(),
    getCustomObject: (group, version, namespace, plural, name) =>
      call(
        `${plural}.${group} ${namespace}/${name}`,
        async () =>
          (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as Record<
            string,
            unknown
          >,
      ),
    read: async (apiVersion, kind, namespace, name) => {
      try {
        return await call(
          `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
          async () =>
            (await objects.read({ apiVersion, kind, metadata: { name, namespace } })) as unknown as Record<
              string,
              unknown
            >,
        );
      } catch (err) {
        if (err instanceof SourceError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    dryRunApply: async (object) => {
      const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
      const what = `${String(object.kind)} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''} (server dry run)`;
      try {
        await withTimeout(
          objects.patch(
            object as never,
            undefined,
            'All',
            'gitops-check',
            true,
            PatchStrategy.ServerSideApply,
          ),
          timeout,
        );
        return null;
      } catch (err) {
        if (err instanceof ApiException && [400, 409, 422].includes(err.code))
          return { status: err.code, message: apiMessage(err, secrets) || `rejected with ${err.code}` };
        throw clusterError(err, server, what, secrets);
      }
    },
  };
}
