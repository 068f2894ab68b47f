import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'xuncha:public';

/** A route reachable without a bearer token (health probes, the development token endpoint). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
