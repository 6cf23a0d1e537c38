/**
 * The `samsa` command straight from the TypeScript sources, without a build:
 * `node --import tsx src/cli/dev-entry.ts server-start config/server.properties`. Tests and benchmarks
 * that need a broker as a real child process start it this way (`bin/samsa.js` runs the built dist/).
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
