import { assertBuilt } from './processes';

/** e2e tests spawn the built api and worker: fail early with a clear message if they are missing. */
export default async function globalSetup(): Promise<void> {
  assertBuilt();
}
