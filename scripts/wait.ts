// Placeholder until the cluster view issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('wait', 'cluster view issue');
