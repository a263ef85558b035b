// ES module entry: `import Stepcast, { Client, connect } from '/stepcast.mjs';`
// A thin wrapper: stepcast.js (one classic script, no build step) defines globalThis.Stepcast.
import './stepcast.js';

const Stepcast = globalThis.Stepcast;
export const { Client, connect, PlanCursor, PROTOCOL } = Stepcast;
export default Stepcast;
