/** Prints the role × page matrix for the README (`npm run docs:routes`). */
import { renderRouteMatrix } from "#app/route-access.ts";

console.log(renderRouteMatrix());
