// Output bytes: each resource as sigs.k8s.io/yaml prints its JSON (the go-yaml v2 port).
import type { JsonMap } from '../json.ts';
import { marshal } from '../yaml/goyaml2.ts';

export function emitResource(obj: JsonMap): string {
  return marshal(obj);
}
