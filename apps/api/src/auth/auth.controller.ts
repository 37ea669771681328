import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { loginRequestSchema, LoginResponse } from '@frontline/contracts';
import { parseOrThrow } from '../common/validation';
import { Public } from './auth.guard';
import { AuthService } from './auth.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown): Promise<LoginResponse> {
    return this.auth.login(parseOrThrow(loginRequestSchema, body));
  }
}
