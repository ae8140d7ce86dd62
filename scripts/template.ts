// Placeholder until the Helm issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('template', 'Helm issue');
