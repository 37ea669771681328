import { Global, Module } from '@nestjs/common';
import { configureTimeZone } from '@frontline/time';
import type { AppConfig } from './config.schema';
import { loadConfig } from './load-config';

export const APP_CONFIG = Symbol('APP_CONFIG');
/**
 * The app's TimeZone, set from the configuration it runs with (FRONTLINE_TIMEZONE) when the
 * module starts, whichever way that configuration was given (environment or test stack).
 */
export const TIME_ZONE = Symbol('TIME_ZONE');

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: loadConfig },
    {
      provide: TIME_ZONE,
      useFactory: (config: AppConfig) => configureTimeZone(config.FRONTLINE_TIMEZONE),
      inject: [APP_CONFIG],
    },
  ],
  exports: [APP_CONFIG, TIME_ZONE],
})
export class ConfigModule {}
