import { describe, expect, it } from "vitest";
import { commandLine, ecsText, ecsValue } from "./ecs-fields";

describe("ecsValue", () => {
  it("follows nested objects by ECS name", () => {
    expect(ecsValue({ process: { parent: { name: "sh" } } }, "process.parent.name")).toBe("sh");
    expect(ecsValue({ process: { name: "sh" } }, "process.args")).toBeUndefined();
  });

  it("never reads inherited properties", () => {
    expect(ecsValue({}, "constructor")).toBeUndefined();
    expect(ecsValue({ process: {} }, "process.__proto__")).toBeUndefined();
    expect(ecsValue({ process: { name: "x" } }, "process.name.length")).toBeUndefined();
  });
});

describe("ecsText and commandLine", () => {
  it("takes the first value of an array and skips empty strings", () => {
    expect(ecsText({ host: { ip: ["10.0.0.1", "10.0.0.2"] } }, "host.ip")).toBe("10.0.0.1");
    expect(ecsText({ user: { name: "" } }, "user.name")).toBeNull();
  });

  it("prefers process.command_line and falls back to the joined args", () => {
    expect(commandLine({ process: { command_line: "nc -e sh", args: ["nc"] } })).toBe("nc -e sh");
    expect(commandLine({ process: { args: ["nc", "-lvp", 4444] } })).toBe("nc -lvp 4444");
    expect(commandLine({ process: {} })).toBeNull();
  });
});
