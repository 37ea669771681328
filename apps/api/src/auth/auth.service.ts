import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import argon2 from 'argon2';
import type { LoginRequest, LoginResponse } from '@frontline/contracts';
import { UserEntity } from '@frontline/database';
import { UnitDirectory } from '@frontline/spine';
import { LoginAttempts } from './login-attempts';
import { TokenService } from './token.service';

// Verifying against a real hash when the user is unknown keeps response times alike.
const DUMMY_HASH = argon2.hash('frontline-timing-equaliser');

/** Sign-in refused for a while after too many wrong passwords; the controller sends `Retry-After`. */
export class LoginLocked extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'Đăng nhập sai quá nhiều lần: tài khoản tạm khóa đăng nhập, vui lòng thử lại sau.',
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitDirectory,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttempts,
  ) {}

  async login(req: LoginRequest): Promise<LoginResponse> {
    // Checked before any hashing: a locked username costs no argon2 time.
    const locked = await this.attempts.secondsLocked(req.username);
    if (locked > 0) throw new LoginLocked(locked);
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username AND u.active', { username: req.username })
      .getOne();
    const ok = await argon2
      .verify(user?.passwordHash ?? (await DUMMY_HASH), req.password)
      .catch(() => false);
    if (!user || !ok) {
      await this.attempts.failed(req.username);
      throw new UnauthorizedException('wrong username or password');
    }
    await this.attempts.succeeded(req.username);

    const unit = await this.units.resolve(user.unitCode);
    if (!unit) throw new UnauthorizedException('the account has no valid unit');
    return {
      accessToken: this.tokens.sign(
        { userId: user.id, username: user.username, role: user.role, unitCode: user.unitCode },
        user.tokenVersion,
      ),
      user: {
        username: user.username,
        role: user.role,
        unit: { code: unit.code, name: unit.name, level: unit.level },
        displayName: user.displayName,
      },
    };
  }
}
