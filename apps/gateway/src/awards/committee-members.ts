import { Injectable } from '@nestjs/common';
import { DomainError, type FieldError } from '@dg/contracts';
import { UsersRepository } from '../users/users.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A committee is made of people who hold the committee role. The gateway owns the accounts, so it
 * checks the members of a category before the awards service stores them: an admin cannot list
 * themself (or anyone else without the role) as chair or member. The awards service checks the
 * role again, from the actor, on every decision.
 */
@Injectable()
export class CommitteeMembers {
  constructor(private readonly users: UsersRepository) {}

  /**
   * 422 AWARD_CATEGORY_INVALID naming every member who is not an active account with the committee
   * role, or who is a DGA admin (segregation of duties: who runs the round does not judge it).
   */
  async check(committee: readonly { userId: string }[] | undefined): Promise<void> {
    const problems: FieldError[] = [];
    for (const [i, member] of (committee ?? []).entries()) {
      const user = UUID.test(member.userId) ? await this.users.findById(member.userId) : null;
      if (user?.active && user.roles.includes('committee') && !user.roles.includes('dga_admin')) continue;
      problems.push(
        user?.roles.includes('dga_admin')
          ? {
              // An admin who gave themself the committee role still may not judge: they run the round.
              path: `committee.${i}.userId`,
              code: 'ADMIN_ON_COMMITTEE',
              message: 'a DGA admin account may not sit on an award committee',
              messageTh: 'บัญชีผู้ดูแลระบบ สพร. เป็นกรรมการรางวัลไม่ได้',
            }
          : {
              path: `committee.${i}.userId`,
              code: 'NOT_A_COMMITTEE_USER',
              message: 'not an active account with the committee role',
              messageTh: 'ไม่ใช่บัญชีผู้ใช้ที่มีบทบาทกรรมการรางวัล',
            },
      );
    }
    if (problems.length) throw new DomainError('AWARD_CATEGORY_INVALID', undefined, problems);
  }
}
