// Liveness: the process serves HTTP. Dependencies are /readyz's business.
export const loader = () => Response.json({ status: "ok" });
