import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";

import { dataOwners } from "~/services/compliance/data-owners.server";

describe("GDPR data owners", () => {
  it("cover every table in the schema, so a new table cannot skip redaction", () => {
    const owned = new Set(dataOwners.flatMap((owner) => owner.tables));
    const unowned = Object.values(Prisma.ModelName).filter((model) => !owned.has(model));
    expect(unowned).toEqual([]);
  });
});
