import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { HealthRpc } from '@dg/contracts';
import { ServiceClient, ServiceReadinessCheck } from '@dg/platform';
import type { CallContext } from '@dg/platform';
import { Allow, Ctx } from '../auth/access.decorators';

/**
 * How long the view waits for each service. A service's own checks give up after 2 s (database
 * ping, ReadinessChecks), so a little more than that, and every service is asked at once.
 */
export const SERVICE_READY_TIMEOUT_MS = 3_000;

const ServiceState = z.object({
  service: z.string(),
  status: z.enum(['ready', 'not_ready', 'no_answer']),
  /** Names of the checks that failed (database, nats, redis…); empty unless `not_ready`. */
  failing: z.array(z.string()),
});
type ServiceState = z.infer<typeof ServiceState>;

export const ServicesHealth = z.object({
  status: z.enum(['ready', 'not_ready']),
  checkedAt: z.string(),
  services: z.array(ServiceState),
});
export type ServicesHealth = z.infer<typeof ServicesHealth>;
class ServicesHealthDto extends createZodDto(ServicesHealth) {}

/**
 * The aggregate readiness view for operators: the gateway's own checks, and each service asked
 * over NATS (`<service>.health.ready`, answered by the platform) with a short timeout. A report,
 * so always 200: a service that does not answer in time (or at all) is `no_answer`, not an error.
 */
@ApiTags('ops')
@Allow('dga_admin', 'operator')
@Controller('health')
export class ServicesHealthController {
  constructor(
    private readonly rpc: ServiceClient,
    private readonly own: ServiceReadinessCheck,
  ) {}

  @Get('services')
  @ApiOperation({
    summary: 'Readiness of every service · ความพร้อมของทุกบริการ',
    description:
      'For `dga_admin` and `operator`. Asks the gateway and each service (registry, intake, scoring, ' +
      'notifications, awards) whether it can serve, each within 3 s. Per service: `ready`; `not_ready` with ' +
      'the names of the failing checks in `failing` (`database`, `nats`, `redis`…); or `no_answer` (not ' +
      'running, or NATS cannot reach it). `status` is `ready` only when every service is. Always 200: the ' +
      'view is a report; the probes for Kubernetes stay `/health/ready` of each service.',
  })
  @ApiOkResponse({ type: ServicesHealthDto })
  async services(@Ctx() ctx: CallContext): Promise<ServicesHealth> {
    const asked = Object.entries(HealthRpc).map(async ([service, subject]): Promise<ServiceState> => {
      try {
        const r = await this.rpc.call(subject, {}, ctx, SERVICE_READY_TIMEOUT_MS);
        return { service, status: r.status, failing: r.failing };
      } catch {
        // No responders, a timeout or a broken answer: the operator learns the service did not answer.
        return { service, status: 'no_answer', failing: [] };
      }
    });
    const services = [await this.own.report(), ...(await Promise.all(asked))].map((s) => ({
      service: s.service,
      status: s.status,
      failing: s.failing,
    }));
    return {
      status: services.every((s) => s.status === 'ready') ? 'ready' : 'not_ready',
      checkedAt: new Date().toISOString(),
      services,
    };
  }
}
