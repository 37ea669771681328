import { Controller, Get, Inject } from '@nestjs/common';
import type { ConsoleConfigResponse } from '@frontline/contracts';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { Public } from '../auth/auth.guard';

/** What the console needs before login (the map style of the login page, the time zone). */
@Public()
@Controller('api/v1/console-config')
export class ConsoleConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  get(): ConsoleConfigResponse {
    return {
      basemapStyleUrl: this.config.FRONTLINE_BASEMAP_STYLE_URL ?? null,
      timeZone: this.config.FRONTLINE_TIMEZONE,
    };
  }
}
