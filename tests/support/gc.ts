/** This process's own garbage collector, for the benches' heap figures (node runs without --expose-gc). */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
export const gc = vm.runInNewContext('gc') as () => void;
