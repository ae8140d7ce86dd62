// The files of each case of cases.txt (make-goldens.ts, error-messages.test.ts): two ConfigMaps
// and a kustomization made of the case's line (`\n` between fields); a line starting with
// `conf.yaml: ` is instead a transformer configuration file the kustomization names, one
// starting with `gen.yaml: ` a generator configuration, `tr.yaml: ` a transformer configuration.
export const CONFIG_MAPS =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n' +
  'typed:\n  n: 5\n  f: 1.5\n  b: true\n  z: ~\n  t: 2024-01-01\n---\n' +
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "2"\n';

/**
 * A line starting with `fails: ` is a case whose message is a YAML parser's (go-yaml's words are
 * not ours): only the failure is compared.
 */
export const wordsDiffer = (line: string) => line.startsWith('fails: ');

export function caseFiles(line: string): Record<string, string> {
  const text = line.replace(/^fails: /, '').replaceAll('\\n', '\n');
  if (text.startsWith('conf.yaml: '))
    return {
      'kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [conf.yaml]\n',
      'conf.yaml': `${text.slice('conf.yaml: '.length)}\n`,
      'cm.yaml': CONFIG_MAPS,
    };
  for (const [prefix, field] of [
    ['gen.yaml: ', 'generators'],
    ['tr.yaml: ', 'transformers'],
  ] as const)
    if (text.startsWith(prefix)) {
      const name = prefix.slice(0, -2);
      return {
        'kustomization.yaml': `resources: [cm.yaml]\n${field}: [${name}]\n`,
        [name]: `${text.slice(prefix.length)}\n`,
        'cm.yaml': CONFIG_MAPS,
      };
    }
  // a case that starts with `resources:` gives its own
  const resources = text.startsWith('resources:') ? '' : 'resources: [cm.yaml]\n';
  return { 'kustomization.yaml': `${resources}${text}\n`, 'cm.yaml': CONFIG_MAPS };
}
