import { Module } from '@nestjs/common';
import { AwardCategoriesController } from './award-categories.controller';
import { AwardsController } from './awards.controller';
import { PublicAwardsController } from './public-awards.controller';

/** HTTP in front of the awards service: each route becomes one `awards.*` RPC over NATS. */
@Module({
  controllers: [AwardCategoriesController, AwardsController, PublicAwardsController],
})
export class AwardsModule {}
