// Requires a CommonJS bundle through V8's code cache, kept beside it as <bundle>.v8cache: compiling
// the 0.3-0.8 MB bundles of the launcher's commands costs 15-35 ms a run, and functions compiled
// during a run are compiled again by the next. The cache is written once, after the first run of a
// build (it then holds the functions that run compiled), atomically; V8 rejects a cache made by
// another Node version or flags, and it is rewritten. GITOPS_CACHE=0 runs without it, as a fresh
// clone would. CommonJS, as scripts/bin/gitops.cjs requires it before anything else is loaded.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

/** The bundle's exports, and a function writing its code cache when it has none that V8 took. */
function requireCached(file) {
  const useCache = process.env.GITOPS_CACHE !== '0';
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  if (useCache)
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // not written yet
    }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = new Module(file, module);
  mod.filename = file;
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  const stale = useCache && (cachedData === undefined || script.cachedDataRejected);
  const saveCache = () => {
    if (!stale) return;
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only checkout: run without the cache
    }
  };
  return { exports: mod.exports, saveCache };
}

module.exports = { requireCached };
