/**
 * Whether this process is draining (SIGTERM received). Created by the runtime and read by /readyz,
 * which must answer 503 from the moment the drain begins so load balancers stop sending.
 */
export class DrainState {
  private began = false;

  get draining(): boolean {
    return this.began;
  }

  begin(): void {
    this.began = true;
  }
}
