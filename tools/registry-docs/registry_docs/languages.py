"""One example program, written in each language the project ships: YAML, TypeScript, Python
(the generated SDK, and the dynamic resource of `pulumi-mixpanel`) and Go.

Property names and kinds come from the schema; the enum spellings of the Python and Go SDKs
are read from the generated SDKs themselves, so an example names what the SDK really exports.
Formatting follows each language's formatter (ruff, gofmt), which the tests check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from pulumi_mixpanel.core.models import CLASS_BY_TYPE, PipelineArgs
from pulumi_mixpanel.plugin.schema import GO_IMPORT_PATH, NODEJS_PACKAGE, PYTHON_PACKAGE, TYPE_BY_TOKEN, camel
from registry_docs.examples import PROVIDER_TOKEN, Program, Resource, Secret

GO_PULUMI = "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
INDENT = "    "


def lower_camel(name: str) -> str:
    """`raw-events` -> `rawEvents` (a variable name)."""
    first, *rest = re.split(r"[-_]", name)
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """`raw-events` -> `raw_events`, `s3KmsKeyId` -> `s3_kms_key_id`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).replace("-", "_").lower()


def output_name(resource_name: str, prop: str) -> str:
    """The stack output an example exports: `raw-events`, `pipelineNames` -> `rawEventsPipelineNames`."""
    return lower_camel(resource_name) + prop[:1].upper() + prop[1:]


def type_name(token: str) -> str:
    """`mixpanel:index:GcsRawPipeline` -> `GcsRawPipeline`; the provider is `Provider`."""
    return "Provider" if token == PROVIDER_TOKEN else token.rsplit(":", 1)[-1]


def model_class(token: str) -> type[PipelineArgs]:
    return CLASS_BY_TYPE[TYPE_BY_TOKEN[token]]


@dataclass(frozen=True)
class SdkNames:
    """The enum members of the generated SDKs: (enum type, value) -> the name the SDK gives it."""

    python: dict[tuple[str, str], str]
    go: dict[tuple[str, str], str]

    @classmethod
    def read(cls, repo: Path) -> SdkNames:
        python_enums = repo / "sdk/python" / PYTHON_PACKAGE / "_enums.py"
        go_enums = repo / "sdk/go" / GO_IMPORT_PATH.rsplit("/", 1)[-1] / "pulumiEnums.go"
        for path in (python_enums, go_enums):
            if not path.is_file():
                raise SystemExit(f"{path} is missing: generate the SDKs first (scripts/generate-sdks.sh)")
        python: dict[tuple[str, str], str] = {}
        enum = None
        for line in python_enums.read_text().splitlines():
            if found := re.match(r"class (\w+)\(_builtins\.str, Enum\):", line):
                enum = found.group(1)
            elif enum and (found := re.match(r'    (\w+) = "(.*)"$', line)):
                python[(enum, found.group(2))] = found.group(1)
        go = {
            (found.group(2), found.group(3)): found.group(1)
            for found in re.finditer(r'^\t(\w+)\s+= (\w+)\("(.*)"\)$', go_enums.read_text(), flags=re.M)
        }
        return cls(python, go)

    def member(self, language: str, enum: str, value: str) -> str:
        found = getattr(self, language).get((enum, value))
        if found is None:
            raise SystemExit(
                f"the {language} SDK has no {enum} {value!r}: regenerate the SDKs (scripts/generate-sdks.sh)"
            )
        return str(found)


class Renderer:
    """Writes a Program in each language, checking it against the schema first."""

    def __init__(self, schema: dict[str, Any], sdk: SdkNames) -> None:
        self.schema = schema
        self.sdk = sdk

    # --- the schema's view of a property --------------------------------------------------

    def input_specs(self, token: str) -> dict[str, Any]:
        if token == PROVIDER_TOKEN:
            return dict(self.schema["provider"]["inputProperties"])
        return dict(self.schema["resources"][token]["inputProperties"])

    def enum_of(self, token: str, prop: str) -> Optional[str]:
        ref = self.input_specs(token)[prop].get("$ref", "")
        return ref.rsplit(":", 1)[-1] if ref else None

    def check(self, program: Program) -> None:
        """Every property is an input of its resource, and secret exactly when the schema says so."""
        names = {resource.name for resource in program.resources}
        for resource in program.resources:
            specs = self.input_specs(resource.token)
            for prop, value in resource.properties.items():
                if prop not in specs:
                    raise ValueError(f"example {resource.name}: {type_name(resource.token)} has no input {prop}")
                if bool(specs[prop].get("secret")) != isinstance(value, Secret):
                    raise ValueError(f"example {resource.name}: {prop} must be a Secret exactly when it is secret")
                enum = self.enum_of(resource.token, prop)
                if enum and value not in {e["value"] for e in self.schema["types"][f"mixpanel:index:{enum}"]["enum"]}:
                    raise ValueError(f"example {resource.name}: {value!r} is not a {enum}")
            if resource.provider is not None and resource.provider not in names:
                raise ValueError(f"example {resource.name}: no provider {resource.provider} in the program")

    @staticmethod
    def secrets(program: Program) -> list[str]:
        keys = [v.key for r in program.resources for v in r.properties.values() if isinstance(v, Secret)]
        return list(dict.fromkeys(keys))

    # --- YAML ------------------------------------------------------------------------------

    def yaml(self, program: Program) -> str:
        self.check(program)
        lines = []
        if secrets := self.secrets(program):
            lines.append("config:")
            for key in secrets:
                lines += [f"  {key}:", "    type: string", "    secret: true"]
        lines.append("resources:")
        for resource in program.resources:
            lines += [f"  {resource.name}:", f"    type: {resource.token}", "    properties:"]
            lines += [f"      {prop}: {_yaml_value(value)}" for prop, value in resource.properties.items()]
            if resource.provider:
                lines += ["    options:", f"      provider: ${{{resource.provider}}}"]
        if program.exports:
            lines.append("outputs:")
            lines += [f"  {output_name(name, prop)}: ${{{name}.{prop}}}" for name, prop in program.exports]
        return "\n".join(lines) + "\n"

    # --- TypeScript ------------------------------------------------------------------------

    def typescript(self, program: Program) -> str:
        self.check(program)
        secrets = self.secrets(program)
        lines = []
        if secrets:
            lines.append('import * as pulumi from "@pulumi/pulumi";')
        lines += [f'import * as mixpanel from "{NODEJS_PACKAGE}";', ""]
        if secrets:
            lines.append("const config = new pulumi.Config();")
        for resource in program.resources:
            lines.append(
                f"const {lower_camel(resource.name)} = new mixpanel.{type_name(resource.token)}"
                f"({_ts_string(resource.name)}, {{"
            )
            lines += [f"{INDENT}{prop}: {_ts_value(value)}," for prop, value in resource.properties.items()]
            if resource.provider:
                lines += ["}, {", f"{INDENT}provider: {lower_camel(resource.provider)},", "});"]
            else:
                lines.append("});")
        if program.exports:
            lines.append("")
            lines += [
                f"export const {output_name(name, prop)} = {lower_camel(name)}.{prop};"
                for name, prop in program.exports
            ]
        return "\n".join(lines) + "\n"

    # --- Python: the generated SDK -----------------------------------------------------------

    def python(self, program: Program) -> str:
        self.check(program)
        lines = ["import pulumi", f"import {PYTHON_PACKAGE} as mixpanel", ""]
        if self.secrets(program):
            lines.append("config = pulumi.Config()")
        for resource in program.resources:
            lines += [
                f"{snake(resource.name)} = mixpanel.{type_name(resource.token)}(",
                f"{INDENT}{_py_string(resource.name)},",
            ]
            for prop, value in resource.properties.items():
                enum = self.enum_of(resource.token, prop)
                shown = f"mixpanel.{enum}.{self.sdk.member('python', enum, value)}" if enum else _py_value(value)
                lines.append(f"{INDENT}{snake(prop)}={shown},")
            if resource.provider:
                lines.append(f"{INDENT}opts=pulumi.ResourceOptions(provider={snake(resource.provider)}),")
            lines.append(")")
        lines += _python_exports(program)
        return "\n".join(lines) + "\n"

    # --- Python: the dynamic resource MixpanelPipeline -----------------------------------------

    def dynamic(self, program: Program) -> Optional[str]:
        """The program with `MixpanelPipeline`; None when it needs explicit providers (the dynamic
        resource reaches the one project of the stack's `mixpanel:*` config)."""
        self.check(program)
        if program.explicit_providers:
            return None
        classes = sorted({model_class(r.token).__name__ for r in program.resources} | {"MixpanelPipeline"})
        lines = ["import pulumi", f"from pulumi_mixpanel import {', '.join(classes)}", ""]
        if self.secrets(program):
            lines.append("config = pulumi.Config()")
        for resource in program.resources:
            cls = model_class(resource.token)
            fields = {camel(name): name for name in cls.model_fields}
            lines += [
                f"{snake(resource.name)} = MixpanelPipeline(",
                f"{INDENT}{_py_string(resource.name)},",
                f"{INDENT}{cls.__name__}(",
            ]
            lines += [f"{INDENT * 2}{fields[prop]}={_py_value(value)}," for prop, value in resource.properties.items()]
            lines += [f"{INDENT}),", ")"]
        lines += _python_exports(program)
        return "\n".join(lines) + "\n"

    # --- Go --------------------------------------------------------------------------------

    def go(self, program: Program) -> str:
        self.check(program)
        secrets = self.secrets(program)
        imports = [GO_IMPORT_PATH, GO_PULUMI] + ([f"{GO_PULUMI}/config"] if secrets else [])
        lines = ["package main", "", "import ("]
        lines += [f'\t"{path}"' for path in sorted(imports)]
        lines += [")", "", "func main() {", "\tpulumi.Run(func(ctx *pulumi.Context) error {"]
        body = []
        if secrets:
            body.append('cfg := config.New(ctx, "")')
        used = {name for name, _ in program.exports} | {r.provider for r in program.resources if r.provider}
        for index, resource in enumerate(program.resources):
            kind = type_name(resource.token)
            options = f", pulumi.Provider({lower_camel(resource.provider)})" if resource.provider else ""
            # Go refuses a variable that is never read, and `:=` that declares nothing new.
            assigned = f"{lower_camel(resource.name)}, err :=" if resource.name in used else "_, err ="
            if index == 0 and resource.name not in used:
                assigned = "_, err :="
            body.append(f"{assigned} mixpanel.New{kind}(ctx, {_go_string(resource.name)}, &mixpanel.{kind}Args{{")
            fields = [
                (_go_field(prop), self._go_value(resource.token, prop, value))
                for prop, value in resource.properties.items()
            ]
            # gofmt aligns the values of consecutive one-line keyed elements.
            width = max((len(key) for key, _ in fields), default=0) + 1
            body += [f"\t{(key + ':').ljust(width)} {value}," for key, value in fields]
            body += [f"}}{options})", "if err != nil {", "\treturn err", "}"]
        for name, prop in program.exports:
            body.append(f"ctx.Export({_go_string(output_name(name, prop))}, {lower_camel(name)}.{_go_field(prop)})")
        body.append("return nil")
        lines += [f"\t\t{line}" for line in body]
        lines += ["\t})", "}"]
        return "\n".join(lines) + "\n"

    def _go_value(self, token: str, prop: str, value: Any) -> str:
        if isinstance(value, Secret):
            return f"cfg.RequireSecret({_go_string(value.key)})"
        enum = self.enum_of(token, prop)
        if enum:
            return f"mixpanel.{self.sdk.member('go', enum, value)}"
        if isinstance(value, bool):
            return f"pulumi.Bool({'true' if value else 'false'})"
        if isinstance(value, (int, float)):
            return f"pulumi.Float64({value})"
        if isinstance(value, list):
            return "pulumi.StringArray{" + ", ".join(f"pulumi.String({_go_string(v)})" for v in value) + "}"
        return f"pulumi.String({_go_string(value)})"


# --- literals -------------------------------------------------------------------------------


def _python_exports(program: Program) -> list[str]:
    if not program.exports:
        return []
    return [""] + [
        f"pulumi.export({_py_string(output_name(name, prop))}, {snake(name)}.{snake(prop)})"
        for name, prop in program.exports
    ]


def _quoted(text: str) -> str:
    """A double-quoted literal, or single-quoted when that avoids escapes (as ruff and prettier do)."""
    if '"' in text and "'" not in text and "\\" not in text:
        return f"'{text}'"
    return json.dumps(text)


def _py_string(text: str) -> str:
    return _quoted(text)


def _ts_string(text: str) -> str:
    return _quoted(text)


def _go_string(text: str) -> str:
    if '"' in text and "`" not in text and "\\" not in text:
        return f"`{text}`"
    return json.dumps(text)


def _go_field(prop: str) -> str:
    return prop[:1].upper() + prop[1:]


def _py_value(value: Any) -> str:
    if isinstance(value, Secret):
        return f"config.require_secret({_py_string(value.key)})"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return "[" + ", ".join(_py_value(v) for v in value) + "]"
    if isinstance(value, str):
        return _py_string(value)
    return repr(value)


def _ts_value(value: Any) -> str:
    if isinstance(value, Secret):
        return f"config.requireSecret({_ts_string(value.key)})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_ts_value(v) for v in value) + "]"
    if isinstance(value, str):
        return _ts_string(value)
    return repr(value)


_PLAIN_YAML = re.compile(r"[A-Za-z_][A-Za-z0-9_./@-]*")


def _yaml_value(value: Any) -> str:
    if isinstance(value, Secret):
        return f"${{{value.key}}}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, str):
        if _PLAIN_YAML.fullmatch(value) and yaml.safe_load(value) == value:
            return value
        if '"' in value:
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value)
    return repr(value)


__all__ = ["Renderer", "Resource", "SdkNames", "lower_camel", "output_name", "snake", "type_name"]
