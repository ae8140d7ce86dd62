// The resources every case of cases.txt builds on (make-goldens.ts, error-messages.test.ts).
export const CONFIG_MAPS =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n' +
  'typed:\n  n: 5\n  f: 1.5\n  b: true\n  z: ~\n  t: 2024-01-01\n---\n' +
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "2"\n';
