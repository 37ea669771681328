import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { configureTimeZone } from '@frontline/time';
import { AppConfig, ConfigError, parseConfig } from './config.schema';

let cached: AppConfig | undefined;

/**
 * Reads `.env` (if present, without overriding real env vars) and validates once per process;
 * sets the process's time zone from FRONTLINE_TIMEZONE.
 */
export function loadConfig(): AppConfig {
  if (cached) return cached;
  const envFile = resolve(process.cwd(), '.env');
  if (existsSync(envFile) && process.env.FRONTLINE_SKIP_DOTENV !== '1') process.loadEnvFile(envFile);
  cached = parseConfig(process.env);
  configureTimeZone(cached.FRONTLINE_TIMEZONE);
  return cached;
}

/** For entry points: print the problems and exit instead of a stack trace. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw err;
  }
}
