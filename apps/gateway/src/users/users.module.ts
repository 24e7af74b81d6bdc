import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../auth/password.service';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersMessages } from './users.messages';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  controllers: [UsersController, UsersMessages],
  providers: [UsersRepository, UsersService, PasswordHasher],
  exports: [UsersRepository, PasswordHasher],
})
export class UsersModule {}
