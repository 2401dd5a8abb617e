// Prints the index of the median run among Lighthouse results given as a JSON array on stdin,
// chosen by Lighthouse's own computeMedianRun (closest to the median FCP and TTI).
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const runs = JSON.parse(input);
console.log(runs.indexOf(computeMedianRun(runs)));
