import { Controller, HttpCode, Post } from '@nestjs/common';
import { LoginRequest, loginRequestSchema, LoginResponse } from '@frontline/contracts';
import { ValidBody } from '../common/validation';
import { Public } from './auth.guard';
import { AuthService } from './auth.service';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@ValidBody(loginRequestSchema) body: LoginRequest): Promise<LoginResponse> {
    return this.auth.login(body);
  }
}
