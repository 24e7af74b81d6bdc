import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AwardCategoriesController } from './award-categories.controller';
import { AwardsController } from './awards.controller';
import { CommitteeMembers } from './committee-members';
import { PublicAwardsController, PublicCertificatesController } from './public-awards.controller';

/** HTTP in front of the awards service: each route becomes one `awards.*` RPC over NATS. */
@Module({
  imports: [UsersModule],
  providers: [CommitteeMembers],
  controllers: [AwardCategoriesController, AwardsController, PublicAwardsController, PublicCertificatesController],
})
export class AwardsModule {}
