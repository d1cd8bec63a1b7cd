/**
 * JavaScript a page ships to the browser, gzip (QUALITY P6): the client
 * entry, the route manifest, and the modules (with their imports) of the
 * route and its ancestors, each file counted once, compressed as the web
 * process's compression middleware does (gzip, default level). Read from the
 * client build's Remix manifest, so it needs `npm run build` first.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
}

interface RemixManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
}

export interface PageWeight {
  routeId: string;
  files: { file: string; gzipBytes: number }[];
  gzipBytes: number;
}

function readManifest(clientDir: string): { manifest: RemixManifest; file: string } {
  const assets = path.join(clientDir, "assets");
  const name = readdirSync(assets).find((n) => /^manifest-[\w-]+\.js$/.test(n));
  if (!name) throw new Error(`no Remix manifest in ${assets}: run \`npm run build\` first`);
  const text = readFileSync(path.join(assets, name), "utf8");
  // window.__remixManifest={…};
  const manifest = JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, "")) as RemixManifest;
  return { manifest, file: `/assets/${name}` };
}

export function pageWeight(clientDir: string, routeId: string): PageWeight {
  const { manifest, file: manifestFile } = readManifest(clientDir);
  const files = new Set<string>([manifestFile, manifest.entry.module, ...manifest.entry.imports]);
  for (let route: ManifestRoute | undefined = manifest.routes[routeId]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) {
    files.add(route.module);
    for (const i of route.imports ?? []) files.add(i);
  }
  if (!manifest.routes[routeId]) throw new Error(`no route ${routeId} in the manifest`);
  const weighed = [...files].map((file) => ({ file, gzipBytes: gzipSync(readFileSync(path.join(clientDir, file))).byteLength }));
  return { routeId, files: weighed, gzipBytes: weighed.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
