/**
 * `npm run schema:print`: the subgraph SDL on stdout, for
 * `rover subgraph publish … --schema <(npm run -s schema:print)`.
 */
import { printSubgraphSdl } from './schema.js';

process.stdout.write(`${await printSubgraphSdl()}\n`);
