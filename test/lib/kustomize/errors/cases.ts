// The files of each case of cases.txt (make-goldens.ts, error-messages.test.ts): two ConfigMaps
// and a kustomization made of the case's line (`\n` between fields); a line starting with
// `conf.yaml: ` is instead a transformer configuration file the kustomization names.
export const CONFIG_MAPS =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n' +
  'typed:\n  n: 5\n  f: 1.5\n  b: true\n  z: ~\n  t: 2024-01-01\n---\n' +
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "2"\n';

export function caseFiles(line: string): Record<string, string> {
  const text = line.replaceAll('\\n', '\n');
  if (text.startsWith('conf.yaml: '))
    return {
      'kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [conf.yaml]\n',
      'conf.yaml': `${text.slice('conf.yaml: '.length)}\n`,
      'cm.yaml': CONFIG_MAPS,
    };
  // a case that starts with `resources:` gives its own
  const resources = text.startsWith('resources:') ? '' : 'resources: [cm.yaml]\n';
  return { 'kustomization.yaml': `${resources}${text}\n`, 'cm.yaml': CONFIG_MAPS };
}
