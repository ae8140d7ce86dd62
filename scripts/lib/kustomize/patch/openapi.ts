// placeholder
export function loadOpenApiSchema(_text: string, _file: string): never {
  throw new Error('not yet');
}
