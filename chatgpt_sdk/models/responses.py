# GENERATED FILE: DO NOT EDIT.
# Regenerate with `python -m codegen` from schema/responses.schema.json (datamodel-code-generator 0.89.0).
# Hand edits are lost and fail `python -m codegen --check`; change schema/overrides/ instead.

from __future__ import annotations
from pydantic import Discriminator, Tag
from chatgpt_sdk._base import UnknownModel, type_discriminator
from chatgpt_sdk._base import ResponseMixin
from typing import Annotated, Any, Literal, Union
from pydantic import ConfigDict, Field, StringConstraints
from chatgpt_sdk._base import SDKModel
from typing_extensions import TypeAliasType


ChatgptSdkModelsResponses = TypeAliasType(
    "ChatgptSdkModelsResponses", Annotated[Any, Field(title="chatgpt_sdk.models.responses")]
)


ApplyPatchCallOutputStatus = TypeAliasType(
    "ApplyPatchCallOutputStatus", Literal["completed", "failed"]
)


ApplyPatchCallOutputStatusParam = TypeAliasType(
    "ApplyPatchCallOutputStatusParam",
    Annotated[Literal["completed", "failed"], Field(title="Apply patch call output status")],
)
"""
Outcome values reported for apply_patch tool call outputs.
"""


ApplyPatchCallStatus = TypeAliasType("ApplyPatchCallStatus", Literal["in_progress", "completed"])


ApplyPatchCallStatusParam = TypeAliasType(
    "ApplyPatchCallStatusParam",
    Annotated[Literal["in_progress", "completed"], Field(title="Apply patch call status")],
)
"""
Status values reported for apply_patch tool calls.
"""


class ApplyPatchCreateFileOperation(SDKModel):
    """
    Instruction describing how to create a file via the apply_patch tool.
    """

    type: Literal["create_file"]
    """
    Create a new file with the provided diff.
    """
    path: str
    """
    Path of the file to create.
    """
    diff: str
    """
    Diff to apply.
    """


class ApplyPatchCreateFileOperationParam(SDKModel):
    """
    Instruction for creating a new file via the apply_patch tool.
    """

    type: Literal["create_file"]
    """
    The operation type. Always `create_file`.
    """
    path: Annotated[str, Field(min_length=1)]
    """
    Path of the file to create relative to the workspace root.
    """
    diff: Annotated[str, Field(max_length=10485760)]
    """
    Unified diff content to apply when creating the file.
    """


class ApplyPatchDeleteFileOperation(SDKModel):
    """
    Instruction describing how to delete a file via the apply_patch tool.
    """

    type: Literal["delete_file"]
    """
    Delete the specified file.
    """
    path: str
    """
    Path of the file to delete.
    """


class ApplyPatchDeleteFileOperationParam(SDKModel):
    """
    Instruction for deleting an existing file via the apply_patch tool.
    """

    type: Literal["delete_file"]
    """
    The operation type. Always `delete_file`.
    """
    path: Annotated[str, Field(min_length=1)]
    """
    Path of the file to delete relative to the workspace root.
    """


Output = TypeAliasType("Output", Annotated[str, Field(max_length=10485760)])
"""
Optional human-readable log text from the apply patch tool (e.g., patch results or errors).
"""


class ApplyPatchUpdateFileOperation(SDKModel):
    """
    Instruction describing how to update a file via the apply_patch tool.
    """

    type: Literal["update_file"]
    """
    Update an existing file with the provided diff.
    """
    path: str
    """
    Path of the file to update.
    """
    diff: str
    """
    Diff to apply.
    """


class ApplyPatchUpdateFileOperationParam(SDKModel):
    """
    Instruction for updating an existing file via the apply_patch tool.
    """

    type: Literal["update_file"]
    """
    The operation type. Always `update_file`.
    """
    path: Annotated[str, Field(min_length=1)]
    """
    Path of the file to update relative to the workspace root.
    """
    diff: Annotated[str, Field(max_length=10485760)]
    """
    Unified diff content to apply to the existing file.
    """


class ApproximateLocation(SDKModel):
    type: Literal["approximate"]
    """
    The type of location approximation. Always `approximate`.
    """
    country: str | None = None
    region: str | None = None
    city: str | None = None
    timezone: str | None = None


CallableToolAllowedCaller = TypeAliasType(
    "CallableToolAllowedCaller", Literal["direct", "programmatic"]
)


ClickButtonType = TypeAliasType(
    "ClickButtonType", Literal["left", "right", "wheel", "back", "forward"]
)


class ClickParam(SDKModel):
    """
    A click action.
    """

    type: Literal["click"]
    """
    Specifies the event type. For a click action, this property is always `click`.
    """
    button: ClickButtonType
    """
    Indicates which mouse button was pressed during the click. One of `left`, `right`, `wheel`, `back`, or `forward`.
    """
    x: int
    """
    The x-coordinate where the click occurred.
    """
    y: int
    """
    The y-coordinate where the click occurred.
    """
    keys: list[str] | None = None


class CodeInterpreterOutputImage(SDKModel):
    """
    The image output from the code interpreter.
    """

    type: Literal["image"]
    """
    The type of the output. Always `image`.
    """
    url: str
    """
    The URL of the image output from the code interpreter.
    """


class CodeInterpreterOutputLogs(SDKModel):
    """
    The logs output from the code interpreter.
    """

    type: Literal["logs"]
    """
    The type of the output. Always `logs`.
    """
    logs: str
    """
    The logs output from the code interpreter.
    """


AllowedCallers = TypeAliasType(
    "AllowedCallers", Annotated[list[CallableToolAllowedCaller], Field(min_length=1)]
)
"""
The tool invocation context(s).
"""


class UnknownOutputs(UnknownModel):
    """A `Outputs` whose `type` this SDK version does not know; keeps every field."""


Outputs = TypeAliasType(
    "Outputs",
    Annotated[
        Annotated[CodeInterpreterOutputLogs, Tag("CodeInterpreterOutputLogs")]
        | Annotated[CodeInterpreterOutputImage, Tag("CodeInterpreterOutputImage")]
        | Annotated[UnknownOutputs, Tag("UnknownOutputs")],
        Discriminator(
            type_discriminator(
                {"image": "CodeInterpreterOutputImage", "logs": "CodeInterpreterOutputLogs"},
                "UnknownOutputs",
            )
        ),
    ],
)


class CodeInterpreterToolCall(SDKModel):
    """
    A tool call to run code.

    """

    type: Literal["code_interpreter_call"]
    """
    The type of the code interpreter tool call. Always `code_interpreter_call`.

    """
    id: str
    """
    The unique ID of the code interpreter tool call.

    """
    status: Literal["in_progress", "completed", "incomplete", "interpreting", "failed"]
    """
    The status of the code interpreter tool call. Valid values are `in_progress`, `completed`, `incomplete`, `interpreting`, and `failed`.

    """
    container_id: str
    """
    The ID of the container used to run the code.

    """
    code: str | None
    outputs: list[Outputs] | None


class CompactionBody(SDKModel):
    """
    A compaction item generated by the [`v1/responses/compact` API](/docs/api-reference/responses/compact).
    """

    type: Literal["compaction"]
    """
    The type of the item. Always `compaction`.
    """
    id: str
    """
    The unique ID of the compaction item.
    """
    encrypted_content: str
    """
    The encrypted content that was produced by compaction.
    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.
    """


class CompactionSummaryItemParam(SDKModel):
    """
    A compaction item generated by the [`v1/responses/compact` API](/docs/api-reference/responses/compact).
    """

    id: str | None = None
    type: Literal["compaction"]
    """
    The type of the item. Always `compaction`.
    """
    encrypted_content: Annotated[str, Field(max_length=20971520)]
    """
    The encrypted content of the compaction summary.
    """


class CompactionTriggerItemParam(SDKModel):
    """
    Compacts the current context. Must be the final input item.
    """

    type: Literal["compaction_trigger"]
    """
    The type of the item. Always `compaction_trigger`.
    """


class ComparisonFilter(SDKModel):
    """
    A filter used to compare a specified attribute key to a given value using a defined comparison operation.

    """

    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"]
    """
    Specifies the comparison operator: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `nin`.
    - `eq`: equals
    - `ne`: not equal
    - `gt`: greater than
    - `gte`: greater than or equal
    - `lt`: less than
    - `lte`: less than or equal
    - `in`: in
    - `nin`: not in

    """
    key: str
    """
    The key to compare against the value.
    """
    value: str | float | bool | list[str | float]
    """
    The value to compare against the attribute key; supports string, number, or boolean types.
    """


ComputerCallOutputStatus = TypeAliasType(
    "ComputerCallOutputStatus", Literal["completed", "incomplete", "failed"]
)


class ComputerCallSafetyCheckParam(SDKModel):
    """
    A pending safety check for the computer call.
    """

    id: str
    """
    The ID of the pending safety check.
    """
    code: str | None = None
    message: str | None = None


ComputerEnvironment = TypeAliasType(
    "ComputerEnvironment", Literal["windows", "mac", "linux", "ubuntu", "browser"]
)


class ComputerScreenshotImage(SDKModel):
    """
    A computer screenshot image used with the computer use tool.

    """

    type: Literal["computer_screenshot"]
    """
    Specifies the event type. For a computer screenshot, this property is 
    always set to `computer_screenshot`.

    """
    image_url: str | None = None
    """
    The URL of the screenshot image.
    """
    file_id: str | None = None
    """
    The identifier of an uploaded file that contains the screenshot.
    """


class ComputerTool(SDKModel):
    """
    A tool that controls a virtual computer. Learn more about the [computer tool](https://platform.openai.com/docs/guides/tools-computer-use).
    """

    type: Literal["computer"]
    """
    The type of the computer tool. Always `computer`.
    """


class ComputerToolCallOutput(SDKModel):
    """
    The output of a computer tool call.

    """

    type: Literal["computer_call_output"]
    """
    The type of the computer tool call output. Always `computer_call_output`.

    """
    id: str | None = None
    """
    The ID of the computer tool call output.

    """
    call_id: str
    """
    The ID of the computer tool call that produced the output.

    """
    acknowledged_safety_checks: list[ComputerCallSafetyCheckParam] | None = None
    """
    The safety checks reported by the API that have been acknowledged by the
    developer.

    """
    output: ComputerScreenshotImage
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of the message input. One of `in_progress`, `completed`, or
    `incomplete`. Populated when input items are returned via API.

    """


class ComputerToolCallOutputResource(ComputerToolCallOutput):
    id: str
    """
    The unique ID of the computer call tool output.

    """
    status: ComputerCallOutputStatus
    """
    The status of the message input. One of `in_progress`, `completed`, or
    `incomplete`. Populated when input items are returned via API.

    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.

    """
    type: Literal["computer_call_output"]


class ComputerUsePreviewTool(SDKModel):
    """
    A tool that controls a virtual computer. Learn more about the [computer tool](https://platform.openai.com/docs/guides/tools-computer-use).
    """

    type: Literal["computer_use_preview"]
    """
    The type of the computer use tool. Always `computer_use_preview`.
    """
    environment: ComputerEnvironment
    """
    The type of computer environment to control.
    """
    display_width: int
    """
    The width of the computer display.
    """
    display_height: int
    """
    The height of the computer display.
    """


class ContainerFileCitationBody(SDKModel):
    """
    A citation for a container file used to generate a model response.
    """

    type: Literal["container_file_citation"]
    """
    The type of the container file citation. Always `container_file_citation`.
    """
    container_id: str
    """
    The ID of the container file.
    """
    file_id: str
    """
    The ID of the file.
    """
    start_index: int
    """
    The index of the first character of the container file citation in the message.
    """
    end_index: int
    """
    The index of the last character of the container file citation in the message.
    """
    filename: str
    """
    The filename of the container file cited.
    """


ContainerMemoryLimit = TypeAliasType("ContainerMemoryLimit", Literal["1g", "4g", "16g", "64g"])


class ContainerNetworkPolicyDisabledParam(SDKModel):
    type: Literal["disabled"]
    """
    Disable outbound network access. Always `disabled`.
    """


class ContainerNetworkPolicyDomainSecretParam(SDKModel):
    domain: Annotated[str, Field(min_length=1)]
    """
    The domain associated with the secret.
    """
    name: Annotated[str, Field(min_length=1)]
    """
    The name of the secret to inject for the domain.
    """
    value: Annotated[str, Field(max_length=10485760, min_length=1)]
    """
    The secret value to inject for the domain.
    """


class ContainerReferenceParam(SDKModel):
    type: Literal["container_reference"]
    """
    References a container created with the /v1/containers endpoint
    """
    container_id: str
    """
    The ID of the referenced container.
    """


class ContainerReferenceResource(SDKModel):
    """
    Represents a container created with /v1/containers.
    """

    type: Literal["container_reference"]
    """
    The environment type. Always `container_reference`.
    """
    container_id: str


CompactThreshold = TypeAliasType("CompactThreshold", Annotated[int, Field(ge=1000)])
"""
Token threshold at which compaction should be triggered for this entry.
"""


class ContextManagementParam(SDKModel):
    type: str
    """
    The context management entry type. Currently only 'compaction' is supported.
    """
    compact_threshold: CompactThreshold | None = None


class ConversationParam2(SDKModel):
    """
    The conversation that this response belongs to.
    """

    id: str
    """
    The unique ID of the conversation.
    """


class CoordParam(SDKModel):
    """
    An x/y coordinate pair, e.g. `{ x: 100, y: 200 }`.
    """

    x: int
    """
    The x-coordinate.
    """
    y: int
    """
    The y-coordinate.
    """


TopLogprobs = TypeAliasType("TopLogprobs", Annotated[int, Field(ge=0, le=20)])
"""
An integer between 0 and 20 specifying the maximum number of most likely
tokens to return at each token position, each with an associated log
probability. In some cases, the number of returned tokens may be fewer than
requested.

"""


TopLogprobs1 = TypeAliasType("TopLogprobs1", None)
"""
An integer between 0 and 20 specifying the maximum number of most likely
tokens to return at each token position, each with an associated log
probability. In some cases, the number of returned tokens may be fewer than
requested.

"""


ContextManagement = TypeAliasType(
    "ContextManagement", Annotated[list[ContextManagementParam], Field(min_length=1)]
)
"""
Context management configuration for this request.

"""


MaxOutputTokens = TypeAliasType("MaxOutputTokens", Annotated[int, Field(ge=16)])
"""
An upper bound for the number of tokens that can be generated for a response, including visible output tokens and [reasoning tokens](/docs/guides/reasoning).

"""


class CustomTextFormatParam(SDKModel):
    """
    Unconstrained free-form text.
    """

    type: Literal["text"]
    """
    Unconstrained text format. Always `text`.
    """


DetailEnum = TypeAliasType("DetailEnum", Literal["low", "high", "auto", "original"])


class DirectToolCallCaller(SDKModel):
    type: Literal["direct"]


class DirectToolCallCallerParam(SDKModel):
    type: Literal["direct"]
    """
    The caller type. Always `direct`.
    """


class DoubleClickAction(SDKModel):
    """
    A double click action.
    """

    type: Literal["double_click"]
    """
    Specifies the event type. For a double click action, this property is always set to `double_click`.
    """
    x: int
    """
    The x-coordinate where the double click occurred.
    """
    y: int
    """
    The y-coordinate where the double click occurred.
    """
    keys: list[str] | None


class DragParam(SDKModel):
    """
    A drag action.
    """

    type: Literal["drag"]
    """
    Specifies the event type. For a drag action, this property is always set to `drag`.
    """
    path: list[CoordParam]
    """
    An array of coordinates representing the path of the drag action. Coordinates will appear as an array of objects, eg
    ```
    [
      { x: 100, y: 200 },
      { x: 200, y: 300 }
    ]
    ```
    """
    keys: list[str] | None = None


class EmptyModelParam(SDKModel):
    pass


class FileCitationBody(SDKModel):
    """
    A citation to a file.
    """

    type: Literal["file_citation"]
    """
    The type of the file citation. Always `file_citation`.
    """
    file_id: str
    """
    The ID of the file.
    """
    index: int
    """
    The index of the file in the list of files.
    """
    filename: str
    """
    The filename of the file cited.
    """


FileDetailEnum = TypeAliasType("FileDetailEnum", Literal["auto", "low", "high"])


FileInputDetail = TypeAliasType("FileInputDetail", Literal["auto", "low", "high"])


class FilePath(SDKModel):
    """
    A path to a file.

    """

    type: Literal["file_path"]
    """
    The type of the file path. Always `file_path`.

    """
    file_id: str
    """
    The ID of the file.

    """
    index: int
    """
    The index of the file in the list of files.

    """


FunctionCallItemStatus = TypeAliasType(
    "FunctionCallItemStatus", Literal["in_progress", "completed", "incomplete"]
)


CallId = TypeAliasType("CallId", Annotated[str, Field(max_length=64, min_length=1)])
"""
The unique ID of the function tool call generated by the model.
"""


Output1 = TypeAliasType("Output1", Annotated[str, Field(max_length=10485760)])
"""
A JSON string of the output of the function tool call.
"""


Name = TypeAliasType("Name", Annotated[str, Field(max_length=128, min_length=1)])
"""
The name of the tool that produced the output.
"""


Namespace = TypeAliasType(
    "Namespace", Annotated[str, Field(max_length=64, min_length=1, pattern="^[a-zA-Z0-9_-]+$")]
)
"""
The namespace of the tool that produced the output.
"""


FunctionCallOutputStatusEnum = TypeAliasType(
    "FunctionCallOutputStatusEnum", Literal["in_progress", "completed", "incomplete"]
)


FunctionCallStatus = TypeAliasType(
    "FunctionCallStatus", Literal["in_progress", "completed", "incomplete"]
)


class FunctionShellAction(SDKModel):
    """
    Execute a shell command.
    """

    commands: list[str]
    timeout_ms: int | None
    max_output_length: int | None


class FunctionShellActionParam(SDKModel):
    """
    Commands and limits describing how to run the shell tool call.
    """

    commands: list[str]
    """
    Ordered shell commands for the execution environment to run.
    """
    timeout_ms: int | None = None
    max_output_length: int | None = None


FunctionShellCallItemStatus = TypeAliasType(
    "FunctionShellCallItemStatus",
    Annotated[Literal["in_progress", "completed", "incomplete"], Field(title="Shell call status")],
)
"""
Status values reported for shell tool calls.
"""


class FunctionShellCallOutputExitOutcome(SDKModel):
    """
    Indicates that the shell commands finished and returned an exit code.
    """

    type: Literal["exit"]
    """
    The outcome type. Always `exit`.
    """
    exit_code: int
    """
    Exit code from the shell process.
    """


class FunctionShellCallOutputExitOutcomeParam(SDKModel):
    """
    Indicates that the shell commands finished and returned an exit code.
    """

    type: Literal["exit"]
    """
    The outcome type. Always `exit`.
    """
    exit_code: int
    """
    The exit code returned by the shell process.
    """


FunctionShellCallOutputStatusEnum = TypeAliasType(
    "FunctionShellCallOutputStatusEnum", Literal["in_progress", "completed", "incomplete"]
)


class FunctionShellCallOutputTimeoutOutcome(SDKModel):
    """
    Indicates that the shell call exceeded its configured time limit.
    """

    type: Literal["timeout"]
    """
    The outcome type. Always `timeout`.
    """


class FunctionShellCallOutputTimeoutOutcomeParam(SDKModel):
    """
    Indicates that the shell call exceeded its configured time limit.
    """

    type: Literal["timeout"]
    """
    The outcome type. Always `timeout`.
    """


FunctionShellCallStatus = TypeAliasType(
    "FunctionShellCallStatus", Literal["in_progress", "completed", "incomplete"]
)


class FunctionTool(SDKModel):
    """
    Defines a function in your own code the model can choose to call. Learn more about [function calling](https://platform.openai.com/docs/guides/function-calling).
    """

    type: Literal["function"]
    """
    The type of the function tool. Always `function`.
    """
    name: str
    """
    The name of the function to call.
    """
    description: str | None = None
    parameters: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    strict: bool | None = None
    defer_loading: bool | None = None
    """
    Whether this function is deferred and loaded via tool search.
    """
    allowed_callers: list[CallableToolAllowedCaller] | None = None


class FunctionToolParam(SDKModel):
    name: Annotated[str, Field(max_length=128, min_length=1, pattern="^[a-zA-Z0-9_-]+$")]
    description: str | None = None
    parameters: EmptyModelParam | None = None
    strict: bool | None = None
    type: Literal["function"]
    output_schema: dict[str, Any] | None = None
    defer_loading: bool | None = None
    """
    Whether this function should be deferred and discovered via tool search.
    """
    allowed_callers: AllowedCallers | None = None


GrammarSyntax1 = TypeAliasType("GrammarSyntax1", Literal["lark", "regex"])


class HTTPError(SDKModel):
    type: Literal["http_error"]
    code: int
    message: str


class HybridSearchOptions(SDKModel):
    embedding_weight: float
    """
    The weight of the embedding in the reciprocal ranking fusion.
    """
    text_weight: float
    """
    The weight of the text in the reciprocal ranking fusion.
    """


ImageDetail = TypeAliasType("ImageDetail", Literal["low", "high", "auto", "original"])


ImageGenActionEnum = TypeAliasType("ImageGenActionEnum", Literal["generate", "edit", "auto"])


class InputImageMask(SDKModel):
    """
    Optional mask for inpainting. Contains `image_url`
    (string, optional) and `file_id` (string, optional).

    """

    model_config = ConfigDict(
        extra="forbid",
    )
    image_url: str | None = None
    """
    Base64-encoded mask image.

    """
    file_id: str | None = None
    """
    File ID for the mask image.

    """


class ImageGenToolCall(SDKModel):
    """
    An image generation request made by the model.

    """

    type: Literal["image_generation_call"]
    """
    The type of the image generation call. Always `image_generation_call`.

    """
    id: str
    """
    The unique ID of the image generation call.

    """
    status: Literal["in_progress", "completed", "generating", "failed"]
    """
    The status of the image generation call.

    """
    result: str | None


IncludeEnum = TypeAliasType(
    "IncludeEnum",
    Literal[
        "file_search_call.results",
        "web_search_call.results",
        "web_search_call.action.sources",
        "message.input_image.image_url",
        "computer_call_output.output.image_url",
        "code_interpreter_call.outputs",
        "reasoning.encrypted_content",
        "message.output_text.logprobs",
    ],
)
"""
Specify additional output data to include in the model response. Currently supported values are:
- `web_search_call.results`: Include the search results of the web search tool call.
- `web_search_call.action.sources`: Include the sources of the web search tool call.
- `code_interpreter_call.outputs`: Includes the outputs of python code execution in code interpreter tool call items.
- `computer_call_output.output.image_url`: Include image urls from the computer call output.
- `file_search_call.results`: Include the search results of the file search tool call.
- `message.input_image.image_url`: Include image urls from the input message.
- `message.output_text.logprobs`: Include logprobs with assistant messages.
- `reasoning.encrypted_content`: Includes an encrypted version of reasoning tokens in reasoning item outputs. This enables reasoning items to be used in multi-turn conversations when using the Responses API statelessly (like when the `store` parameter is set to `false`, or when an organization is enrolled in the zero data retention program).
"""


class InlineSkillSourceParam(SDKModel):
    """
    Inline skill payload
    """

    type: Literal["base64"]
    """
    The type of the inline skill source. Must be `base64`.
    """
    media_type: Literal["application/zip"]
    """
    The media type of the inline skill payload. Must be `application/zip`.
    """
    data: Annotated[str, Field(max_length=70254592, min_length=1)]
    """
    Base64-encoded skill zip bundle.
    """


InputFidelity = TypeAliasType("InputFidelity", Literal["high", "low"])
"""
Control how much effort the model will exert to match the style and features, especially facial features, of input images. This parameter is only supported for `gpt-image-1` and `gpt-image-1.5` and later models, unsupported for `gpt-image-1-mini`. Supports `high` and `low`. Defaults to `low`.
"""


FileData = TypeAliasType("FileData", Annotated[str, Field(max_length=73400320)])
"""
The base64-encoded data of the file to be sent to the model.
"""


ImageUrl = TypeAliasType("ImageUrl", Annotated[str, Field(max_length=20971520)])
"""
The URL of the image to be sent to the model. A fully qualified URL or base64 encoded image in a data URL.
"""


class ItemReferenceParam(SDKModel):
    """
    An internal identifier for an item to reference.
    """

    type: Literal["item_reference"] | None = None
    id: str
    """
    The ID of the item to reference.
    """


class KeyPressAction(SDKModel):
    """
    A collection of keypresses the model would like to perform.
    """

    type: Literal["keypress"]
    """
    Specifies the event type. For a keypress action, this property is always set to `keypress`.
    """
    keys: list[str]
    """
    The combination of keys the model is requesting to be pressed. This is an array of strings, each representing a key.
    """


class LocalEnvironmentResource(SDKModel):
    """
    Represents the use of a local environment to perform shell actions.
    """

    type: Literal["local"]
    """
    The environment type. Always `local`.
    """


class LocalShellExecAction(SDKModel):
    """
    Execute a shell command on the server.
    """

    type: Literal["exec"]
    """
    The type of the local shell action. Always `exec`.
    """
    command: list[str]
    """
    The command to run.
    """
    timeout_ms: int | None = None
    working_directory: str | None = None
    env: dict[str, str]
    """
    Environment variables to set for the command.
    """
    user: str | None = None


class LocalShellToolCall(SDKModel):
    """
    A tool call to run a command on the local shell.

    """

    type: Literal["local_shell_call"]
    """
    The type of the local shell call. Always `local_shell_call`.

    """
    id: str
    """
    The unique ID of the local shell call.

    """
    call_id: str
    """
    The unique ID of the local shell tool call generated by the model.

    """
    action: LocalShellExecAction
    status: Literal["in_progress", "completed", "incomplete"]
    """
    The status of the local shell call.

    """


class LocalShellToolCallOutput(SDKModel):
    """
    The output of a local shell tool call.

    """

    type: Literal["local_shell_call_output"]
    """
    The type of the local shell tool call output. Always `local_shell_call_output`.

    """
    id: str
    """
    The unique ID of the local shell tool call generated by the model.

    """
    output: str
    """
    A JSON string of the output of the local shell tool call.

    """
    status: Literal["in_progress", "completed", "incomplete"] | None = None


class LocalShellToolParam(SDKModel):
    """
    A tool that allows the model to execute shell commands in a local environment.
    """

    type: Literal["local_shell"]
    """
    The type of the local shell tool. Always `local_shell`.
    """


class LocalSkillParam(SDKModel):
    name: str
    """
    The name of the skill.
    """
    description: str
    """
    The description of the skill.
    """
    path: str
    """
    The path to the directory containing the skill.
    """


class MCPApprovalRequest(SDKModel):
    """
    A request for human approval of a tool invocation.

    """

    type: Literal["mcp_approval_request"]
    """
    The type of the item. Always `mcp_approval_request`.

    """
    id: str
    """
    The unique ID of the approval request.

    """
    server_label: str
    """
    The label of the MCP server making the request.

    """
    name: str
    """
    The name of the tool to run.

    """
    arguments: str
    """
    A JSON string of arguments for the tool.

    """


class MCPApprovalResponse(SDKModel):
    """
    A response to an MCP approval request.

    """

    type: Literal["mcp_approval_response"]
    """
    The type of the item. Always `mcp_approval_response`.

    """
    id: str | None = None
    approval_request_id: str
    """
    The ID of the approval request being answered.

    """
    approve: bool
    """
    Whether the request was approved.

    """
    reason: str | None = None


class MCPApprovalResponseResource(SDKModel):
    """
    A response to an MCP approval request.

    """

    type: Literal["mcp_approval_response"]
    """
    The type of the item. Always `mcp_approval_response`.

    """
    id: str
    """
    The unique ID of the approval response

    """
    approval_request_id: str
    """
    The ID of the approval request being answered.

    """
    approve: bool
    """
    Whether the request was approved.

    """
    reason: str | None = None


class MCPListToolsTool(SDKModel):
    """
    A tool available on an MCP server.

    """

    name: str
    """
    The name of the tool.

    """
    description: str | None = None
    input_schema: dict[str, Any]
    """
    The JSON schema describing the tool's input.

    """
    annotations: dict[str, Any] | None = None


class MCPProtocolError(SDKModel):
    type: Literal["mcp_protocol_error"]
    code: int
    message: str


MCPToolCallStatus = TypeAliasType(
    "MCPToolCallStatus", Literal["in_progress", "completed", "incomplete", "calling", "failed"]
)


class MCPToolExecutionError(SDKModel):
    type: Literal["mcp_tool_execution_error"]
    content: Any


class MCPToolFilter(SDKModel):
    """
    A filter object to specify which tools are allowed.

    """

    model_config = ConfigDict(
        extra="forbid",
    )
    tool_names: Annotated[list[str] | None, Field(title="MCP allowed tools")] = None
    """
    List of allowed tool names.
    """
    read_only: bool | None = None
    """
    Indicates whether or not a tool modifies data or is read-only. If an
    MCP server is [annotated with `readOnlyHint`](https://modelcontextprotocol.io/specification/2025-06-18/schema#toolannotations-readonlyhint),
    it will match this filter.

    """


MessagePhase = TypeAliasType("MessagePhase", Literal["commentary", "final_answer"])
"""
Labels an `assistant` message as intermediate commentary (`commentary`) or the final answer (`final_answer`).
For models like `gpt-5.3-codex` and beyond, when sending follow-up requests, preserve and resend
phase on all assistant messages — dropping it can degrade performance. Not used for user messages.

"""


MessageRole = TypeAliasType(
    "MessageRole",
    Literal[
        "unknown", "user", "assistant", "system", "critic", "discriminator", "developer", "tool"
    ],
)


Metadata = TypeAliasType("Metadata", dict[str, str] | None)


ModelIdsShared = TypeAliasType(
    "ModelIdsShared",
    str
    | Literal[
        "gpt-5.6-sol",
        "gpt-5.6-terra",
        "gpt-5.6-luna",
        "gpt-5.5",
        "gpt-5.5-2026-04-23",
        "gpt-5.4",
        "gpt-5.4-mini",
        "gpt-5.4-nano",
        "gpt-5.4-mini-2026-03-17",
        "gpt-5.4-nano-2026-03-17",
        "gpt-5.3-chat-latest",
        "gpt-5.2",
        "gpt-5.2-2025-12-11",
        "gpt-5.2-chat-latest",
        "gpt-5.2-pro",
        "gpt-5.2-pro-2025-12-11",
        "gpt-5.1",
        "gpt-5.1-2025-11-13",
        "gpt-5.1-codex",
        "gpt-5.1-mini",
        "gpt-5.1-chat-latest",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "gpt-5-2025-08-07",
        "gpt-5-mini-2025-08-07",
        "gpt-5-nano-2025-08-07",
        "gpt-5-chat-latest",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
        "o4-mini",
        "o4-mini-2025-04-16",
        "o3",
        "o3-2025-04-16",
        "o3-mini",
        "o3-mini-2025-01-31",
        "o1",
        "o1-2024-12-17",
        "o1-preview",
        "o1-preview-2024-09-12",
        "o1-mini",
        "o1-mini-2024-09-12",
        "gpt-4o",
        "gpt-4o-2024-11-20",
        "gpt-4o-2024-08-06",
        "gpt-4o-2024-05-13",
        "gpt-4o-audio-preview",
        "gpt-4o-audio-preview-2024-10-01",
        "gpt-4o-audio-preview-2024-12-17",
        "gpt-4o-audio-preview-2025-06-03",
        "gpt-4o-mini-audio-preview",
        "gpt-4o-mini-audio-preview-2024-12-17",
        "gpt-4o-search-preview",
        "gpt-4o-mini-search-preview",
        "gpt-4o-search-preview-2025-03-11",
        "gpt-4o-mini-search-preview-2025-03-11",
        "chatgpt-4o-latest",
        "codex-mini-latest",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        "gpt-4-turbo",
        "gpt-4-turbo-2024-04-09",
        "gpt-4-0125-preview",
        "gpt-4-turbo-preview",
        "gpt-4-1106-preview",
        "gpt-4-vision-preview",
        "gpt-4",
        "gpt-4-0314",
        "gpt-4-0613",
        "gpt-4-32k",
        "gpt-4-32k-0314",
        "gpt-4-32k-0613",
        "gpt-3.5-turbo",
        "gpt-3.5-turbo-16k",
        "gpt-3.5-turbo-0301",
        "gpt-3.5-turbo-0613",
        "gpt-3.5-turbo-1106",
        "gpt-3.5-turbo-0125",
        "gpt-3.5-turbo-16k-0613",
    ],
)


TopLogprobs2 = TypeAliasType("TopLogprobs2", Annotated[int, Field(ge=0, le=20)])
"""
An integer between 0 and 20 specifying the maximum number of most likely
tokens to return at each token position, each with an associated log
probability. In some cases, the number of returned tokens may be fewer than
requested.

"""


Temperature = TypeAliasType("Temperature", Annotated[float, Field(ge=0.0, le=2.0)])
"""
What sampling temperature to use, between 0 and 2. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.
We generally recommend altering this or `top_p` but not both.

"""


TopP = TypeAliasType("TopP", Annotated[float, Field(ge=0.0, le=1.0)])
"""
An alternative to sampling with temperature, called nucleus sampling,
where the model considers the results of the tokens with top_p probability
mass. So 0.1 means only the tokens comprising the top 10% probability mass
are considered.

We generally recommend altering this or `temperature` but not both.

"""


SafetyIdentifier = TypeAliasType("SafetyIdentifier", Annotated[str, Field(max_length=64)])
"""
A stable identifier used to help detect users of your application that may be violating OpenAI's usage policies.
The IDs should be a string that uniquely identifies each user, with a maximum length of 64 characters. We recommend hashing their username or email address, in order to avoid sending us any identifying information. [Learn more](/docs/guides/safety-best-practices#safety-identifiers).

"""


class ModelResponseProperties(SDKModel):
    metadata: Metadata | None = None
    top_logprobs: TopLogprobs2 | None = None
    temperature: Temperature | None = None
    top_p: TopP | None = None
    user: Annotated[str | None, Field(deprecated=True)] = None
    """
    This field is being replaced by `safety_identifier` and `prompt_cache_key`. Use `prompt_cache_key` instead to maintain caching optimizations.
    A stable identifier for your end-users.
    Used to boost cache hit rates by better bucketing similar requests and  to help OpenAI detect and prevent abuse. [Learn more](/docs/guides/safety-best-practices#safety-identifiers).

    """
    safety_identifier: SafetyIdentifier | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: Annotated[
        Literal["in_memory", "24h"] | None, Field(deprecated=True)
    ] = None


class ModerationErrorBody(SDKModel):
    """
    An error produced while attempting moderation for the response input or output.
    """

    type: Literal["error"]
    """
    The object type, which was always `error` for moderation failures.
    """
    code: str
    """
    The error code.
    """
    message: str
    """
    The error message.
    """


ModerationInputType = TypeAliasType("ModerationInputType", Literal["text", "image"])


ModerationMode = TypeAliasType("ModerationMode", Literal["score", "block"])


class ModerationResultBody(SDKModel):
    """
    A moderation result produced for the response input or output.
    """

    type: Literal["moderation_result"]
    """
    The object type, which was always `moderation_result` for successful moderation results.
    """
    model: str
    """
    The moderation model that produced this result.
    """
    flagged: bool
    """
    A boolean indicating whether the content was flagged by any category.
    """
    categories: dict[str, bool]
    """
    A dictionary of moderation categories to booleans, True if the input is flagged under this category.
    """
    category_scores: dict[str, float]
    """
    A dictionary of moderation categories to scores.
    """
    category_applied_input_types: dict[str, list[ModerationInputType]]
    """
    Which modalities of input are reflected by the score for each category.
    """


class MoveParam(SDKModel):
    """
    A mouse move action.
    """

    type: Literal["move"]
    """
    Specifies the event type. For a move action, this property is always set to `move`.
    """
    x: int
    """
    The x-coordinate to move to.
    """
    y: int
    """
    The y-coordinate to move to.
    """
    keys: list[str] | None = None


class Program(SDKModel):
    type: Literal["program"]
    """
    The type of the item. Always `program`.
    """
    id: str
    """
    The unique ID of the program item.
    """
    call_id: str
    """
    The stable call ID of the program item.
    """
    code: str
    """
    The JavaScript source executed by programmatic tool calling.
    """
    fingerprint: str
    """
    Opaque program replay fingerprint that must be round-tripped.
    """


class ProgramItemParam(SDKModel):
    id: str
    """
    The unique ID of this program item.
    """
    type: Literal["program"]
    """
    The item type. Always `program`.
    """
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The stable call ID of the program item.
    """
    code: Annotated[str, Field(max_length=10485760)]
    """
    The JavaScript source executed by programmatic tool calling.
    """
    fingerprint: Annotated[str, Field(max_length=10485760)]
    """
    Opaque program replay fingerprint that must be round-tripped.
    """


ProgramOutputItemStatus = TypeAliasType(
    "ProgramOutputItemStatus", Literal["completed", "incomplete"]
)


ProgramOutputStatus = TypeAliasType("ProgramOutputStatus", Literal["completed", "incomplete"])


class ProgramToolCallCaller(SDKModel):
    type: Literal["program"]
    caller_id: str
    """
    The call ID of the program item that produced this tool call.
    """


class ProgramToolCallCallerParam(SDKModel):
    type: Literal["program"]
    """
    The caller type. Always `program`.
    """
    caller_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The call ID of the program item that produced this tool call.
    """


class ProgrammaticToolCallingParam(SDKModel):
    type: Literal["programmatic_tool_calling"]
    """
    The type of the tool. Always `programmatic_tool_calling`.
    """


class PromptCacheBreakpointConfig(SDKModel):
    """
    Marks the exact end of a reusable prompt prefix. The breakpoint inherits its TTL from the request's `prompt_cache_options.ttl`; the boundary is not rounded to a token block.
    """

    mode: Literal["explicit"]
    """
    The breakpoint mode. Always `explicit`.
    """


class PromptCacheBreakpointParam(SDKModel):
    """
    Marks the exact end of a reusable prompt prefix. The breakpoint inherits its TTL from the request's `prompt_cache_options.ttl`; the boundary is not rounded to a token block.
    """

    mode: Literal["explicit"]
    """
    The breakpoint mode. Always `explicit`.
    """


PromptCacheModeEnum = TypeAliasType("PromptCacheModeEnum", Literal["implicit", "explicit"])


PromptCacheTTLEnum = TypeAliasType("PromptCacheTTLEnum", Literal["30m"])


RankerVersionType = TypeAliasType("RankerVersionType", Literal["auto", "default-2024-11-15"])


class RankingOptions(SDKModel):
    ranker: RankerVersionType | None = None
    """
    The ranker to use for the file search.
    """
    score_threshold: float | None = None
    """
    The score threshold for the file search, a number between 0 and 1. Numbers closer to 1 will attempt to return only the most relevant results, but may return fewer results.
    """
    hybrid_search: HybridSearchOptions | None = None
    """
    Weights that control how reciprocal rank fusion balances semantic embedding matches versus sparse keyword matches when hybrid search is enabled.
    """


ReasoningEffort = TypeAliasType(
    "ReasoningEffort",
    Literal["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"] | None,
)


ReasoningModeEnum = TypeAliasType("ReasoningModeEnum", str | Literal["standard", "pro"])


class ReasoningTextContent(SDKModel):
    """
    Reasoning text from the model.
    """

    type: Literal["reasoning_text"]
    """
    The type of the reasoning text. Always `reasoning_text`.
    """
    text: str
    """
    The reasoning text from the model.
    """


class RefusalContent(SDKModel):
    """
    A refusal from the model.
    """

    type: Literal["refusal"]
    """
    The type of the refusal. Always `refusal`.
    """
    refusal: str
    """
    The refusal explanation from the model.
    """


class IncompleteDetails(SDKModel):
    """
    Details about why the response is incomplete.

    """

    reason: str | None = None
    """
    The reason why the response is incomplete.
    """


class ResponseAudioDeltaEvent(SDKModel):
    """
    Emitted when there is a partial audio response.
    """

    type: Literal["response.audio.delta"]
    """
    The type of the event. Always `response.audio.delta`.

    """
    sequence_number: int
    """
    A sequence number for this chunk of the stream response.

    """
    delta: str
    """
    A chunk of Base64 encoded response audio bytes.

    """


class ResponseAudioDoneEvent(SDKModel):
    """
    Emitted when the audio response is complete.
    """

    type: Literal["response.audio.done"]
    """
    The type of the event. Always `response.audio.done`.

    """
    sequence_number: int
    """
    The sequence number of the delta.

    """


class ResponseAudioTranscriptDeltaEvent(SDKModel):
    """
    Emitted when there is a partial transcript of audio.
    """

    type: Literal["response.audio.transcript.delta"]
    """
    The type of the event. Always `response.audio.transcript.delta`.

    """
    delta: str
    """
    The partial transcript of the audio response.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseAudioTranscriptDoneEvent(SDKModel):
    """
    Emitted when the full audio transcript is completed.
    """

    type: Literal["response.audio.transcript.done"]
    """
    The type of the event. Always `response.audio.transcript.done`.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseCodeInterpreterCallCodeDeltaEvent(SDKModel):
    """
    Emitted when a partial code snippet is streamed by the code interpreter.
    """

    type: Literal["response.code_interpreter_call_code.delta"]
    """
    The type of the event. Always `response.code_interpreter_call_code.delta`.
    """
    output_index: int
    """
    The index of the output item in the response for which the code is being streamed.
    """
    item_id: str
    """
    The unique identifier of the code interpreter tool call item.
    """
    delta: str
    """
    The partial code snippet being streamed by the code interpreter.
    """
    sequence_number: int
    """
    The sequence number of this event, used to order streaming events.
    """


class ResponseCodeInterpreterCallCodeDoneEvent(SDKModel):
    """
    Emitted when the code snippet is finalized by the code interpreter.
    """

    type: Literal["response.code_interpreter_call_code.done"]
    """
    The type of the event. Always `response.code_interpreter_call_code.done`.
    """
    output_index: int
    """
    The index of the output item in the response for which the code is finalized.
    """
    item_id: str
    """
    The unique identifier of the code interpreter tool call item.
    """
    code: str
    """
    The final code snippet output by the code interpreter.
    """
    sequence_number: int
    """
    The sequence number of this event, used to order streaming events.
    """


class ResponseCodeInterpreterCallCompletedEvent(SDKModel):
    """
    Emitted when the code interpreter call is completed.
    """

    type: Literal["response.code_interpreter_call.completed"]
    """
    The type of the event. Always `response.code_interpreter_call.completed`.
    """
    output_index: int
    """
    The index of the output item in the response for which the code interpreter call is completed.
    """
    item_id: str
    """
    The unique identifier of the code interpreter tool call item.
    """
    sequence_number: int
    """
    The sequence number of this event, used to order streaming events.
    """


class ResponseCodeInterpreterCallInProgressEvent(SDKModel):
    """
    Emitted when a code interpreter call is in progress.
    """

    type: Literal["response.code_interpreter_call.in_progress"]
    """
    The type of the event. Always `response.code_interpreter_call.in_progress`.
    """
    output_index: int
    """
    The index of the output item in the response for which the code interpreter call is in progress.
    """
    item_id: str
    """
    The unique identifier of the code interpreter tool call item.
    """
    sequence_number: int
    """
    The sequence number of this event, used to order streaming events.
    """


class ResponseCodeInterpreterCallInterpretingEvent(SDKModel):
    """
    Emitted when the code interpreter is actively interpreting the code snippet.
    """

    type: Literal["response.code_interpreter_call.interpreting"]
    """
    The type of the event. Always `response.code_interpreter_call.interpreting`.
    """
    output_index: int
    """
    The index of the output item in the response for which the code interpreter is interpreting code.
    """
    item_id: str
    """
    The unique identifier of the code interpreter tool call item.
    """
    sequence_number: int
    """
    The sequence number of this event, used to order streaming events.
    """


class ResponseConversation(SDKModel):
    """
    The conversation that this response belonged to. Input items and output items from this response were automatically added to this conversation.
    """

    id: str
    """
    The unique ID of the conversation that this response was associated with.
    """


class ResponseCustomToolCallInputDeltaEvent(SDKModel):
    """
    Event representing a delta (partial update) to the input of a custom tool call.

    """

    type: Literal["response.custom_tool_call_input.delta"]
    """
    The event type identifier.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    output_index: int
    """
    The index of the output this delta applies to.
    """
    item_id: str
    """
    Unique identifier for the API item associated with this event.
    """
    delta: str
    """
    The incremental input data (delta) for the custom tool call.
    """


class ResponseCustomToolCallInputDoneEvent(SDKModel):
    """
    Event indicating that input for a custom tool call is complete.

    """

    type: Literal["response.custom_tool_call_input.done"]
    """
    The event type identifier.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    output_index: int
    """
    The index of the output this event applies to.
    """
    item_id: str
    """
    Unique identifier for the API item associated with this event.
    """
    input: str
    """
    The complete input data for the custom tool call.
    """


ResponseErrorCode = TypeAliasType("ResponseErrorCode", str)
"""
The error code for the response.

"""


class ResponseErrorEvent(SDKModel):
    """
    Emitted when an error occurs.
    """

    type: Literal["error"]
    """
    The type of the event. Always `error`.

    """
    code: str | None = None
    message: str
    """
    The error message.

    """
    param: str | None = None
    sequence_number: int | None = None
    """
    The sequence number of this event.
    """


class ResponseFileSearchCallCompletedEvent(SDKModel):
    """
    Emitted when a file search call is completed (results found).
    """

    type: Literal["response.file_search_call.completed"]
    """
    The type of the event. Always `response.file_search_call.completed`.

    """
    output_index: int
    """
    The index of the output item that the file search call is initiated.

    """
    item_id: str
    """
    The ID of the output item that the file search call is initiated.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseFileSearchCallInProgressEvent(SDKModel):
    """
    Emitted when a file search call is initiated.
    """

    type: Literal["response.file_search_call.in_progress"]
    """
    The type of the event. Always `response.file_search_call.in_progress`.

    """
    output_index: int
    """
    The index of the output item that the file search call is initiated.

    """
    item_id: str
    """
    The ID of the output item that the file search call is initiated.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseFileSearchCallSearchingEvent(SDKModel):
    """
    Emitted when a file search is currently searching.
    """

    type: Literal["response.file_search_call.searching"]
    """
    The type of the event. Always `response.file_search_call.searching`.

    """
    output_index: int
    """
    The index of the output item that the file search call is searching.

    """
    item_id: str
    """
    The ID of the output item that the file search call is initiated.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseFormatJsonObject(SDKModel):
    """
    JSON object response format. An older method of generating JSON responses.
    Using `json_schema` is recommended for models that support it. Note that the
    model will not generate JSON without a system or user message instructing it
    to do so.

    """

    type: Literal["json_object"]
    """
    The type of response format being defined. Always `json_object`.
    """


class ResponseFormatJsonSchemaSchema(SDKModel):
    """
    The schema for the response format, described as a JSON Schema object.
    Learn how to build JSON schemas [here](https://json-schema.org/).

    """

    model_config = ConfigDict(
        extra="allow",
    )


class ResponseFormatText(SDKModel):
    """
    Default response format. Used to generate text responses.

    """

    type: Literal["text"]
    """
    The type of response format being defined. Always `text`.
    """


class ResponseFunctionCallArgumentsDeltaEvent(SDKModel):
    """
    Emitted when there is a partial function-call arguments delta.
    """

    type: Literal["response.function_call_arguments.delta"]
    """
    The type of the event. Always `response.function_call_arguments.delta`.

    """
    item_id: str
    """
    The ID of the output item that the function-call arguments delta is added to.

    """
    output_index: int
    """
    The index of the output item that the function-call arguments delta is added to.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    delta: str
    """
    The function-call arguments delta that is added.

    """


class ResponseFunctionCallArgumentsDoneEvent(SDKModel):
    """
    Emitted when function-call arguments are finalized.
    """

    type: Literal["response.function_call_arguments.done"]
    item_id: str
    """
    The ID of the item.
    """
    name: str | None = None
    """
    The name of the function that was called.
    """
    output_index: int
    """
    The index of the output item.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    arguments: str
    """
    The function-call arguments.
    """


class ResponseImageGenCallCompletedEvent(SDKModel):
    """
    Emitted when an image generation tool call has completed and the final image is available.

    """

    type: Literal["response.image_generation_call.completed"]
    """
    The type of the event. Always 'response.image_generation_call.completed'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    item_id: str
    """
    The unique identifier of the image generation item being processed.
    """


class ResponseImageGenCallGeneratingEvent(SDKModel):
    """
    Emitted when an image generation tool call is actively generating an image (intermediate state).

    """

    type: Literal["response.image_generation_call.generating"]
    """
    The type of the event. Always 'response.image_generation_call.generating'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the image generation item being processed.
    """
    sequence_number: int
    """
    The sequence number of the image generation item being processed.
    """


class ResponseImageGenCallInProgressEvent(SDKModel):
    """
    Emitted when an image generation tool call is in progress.

    """

    type: Literal["response.image_generation_call.in_progress"]
    """
    The type of the event. Always 'response.image_generation_call.in_progress'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the image generation item being processed.
    """
    sequence_number: int
    """
    The sequence number of the image generation item being processed.
    """


class ResponseImageGenCallPartialImageEvent(SDKModel):
    """
    Emitted when a partial image is available during image generation streaming.

    """

    type: Literal["response.image_generation_call.partial_image"]
    """
    The type of the event. Always 'response.image_generation_call.partial_image'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the image generation item being processed.
    """
    sequence_number: int
    """
    The sequence number of the image generation item being processed.
    """
    partial_image_index: int
    """
    0-based index for the partial image (backend is 1-based, but this is 0-based for the user).
    """
    partial_image_b64: str
    """
    Base64-encoded partial image data, suitable for rendering as an image.
    """
    size: str | None = None
    """
    The image size that was used.
    """
    quality: str | None = None
    """
    The image quality that was used.
    """
    background: str | None = None
    """
    The background setting that was used.
    """
    output_format: str | None = None
    """
    The output format that was used.
    """


class TopLogprob(SDKModel):
    token: str | None = None
    """
    A possible text token.
    """
    logprob: float | None = None
    """
    The log probability of this token.
    """


class ResponseLogProb(SDKModel):
    """
    A logprob is the logarithmic probability that the model assigns to producing
    a particular token at a given position in the sequence. Less-negative (higher)
    logprob values indicate greater model confidence in that token choice.

    """

    token: str
    """
    A possible text token.
    """
    logprob: float
    """
    The log probability of this token.

    """
    top_logprobs: list[TopLogprob] | None = None
    """
    The log probabilities of up to 20 of the most likely tokens.

    """


class ResponseMCPCallArgumentsDeltaEvent(SDKModel):
    """
    Emitted when there is a delta (partial update) to the arguments of an MCP tool call.

    """

    type: Literal["response.mcp_call_arguments.delta"]
    """
    The type of the event. Always 'response.mcp_call_arguments.delta'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the MCP tool call item being processed.
    """
    delta: str
    """
    A JSON string containing the partial update to the arguments for the MCP tool call.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPCallArgumentsDoneEvent(SDKModel):
    """
    Emitted when the arguments for an MCP tool call are finalized.

    """

    type: Literal["response.mcp_call_arguments.done"]
    """
    The type of the event. Always 'response.mcp_call_arguments.done'.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the MCP tool call item being processed.
    """
    arguments: str
    """
    A JSON string containing the finalized arguments for the MCP tool call.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPCallCompletedEvent(SDKModel):
    """
    Emitted when an MCP  tool call has completed successfully.

    """

    type: Literal["response.mcp_call.completed"]
    """
    The type of the event. Always 'response.mcp_call.completed'.
    """
    item_id: str
    """
    The ID of the MCP tool call item that completed.
    """
    output_index: int
    """
    The index of the output item that completed.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPCallFailedEvent(SDKModel):
    """
    Emitted when an MCP  tool call has failed.

    """

    type: Literal["response.mcp_call.failed"]
    """
    The type of the event. Always 'response.mcp_call.failed'.
    """
    item_id: str
    """
    The ID of the MCP tool call item that failed.
    """
    output_index: int
    """
    The index of the output item that failed.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPCallInProgressEvent(SDKModel):
    """
    Emitted when an MCP  tool call is in progress.

    """

    type: Literal["response.mcp_call.in_progress"]
    """
    The type of the event. Always 'response.mcp_call.in_progress'.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    item_id: str
    """
    The unique identifier of the MCP tool call item being processed.
    """


class ResponseMCPListToolsCompletedEvent(SDKModel):
    """
    Emitted when the list of available MCP tools has been successfully retrieved.

    """

    type: Literal["response.mcp_list_tools.completed"]
    """
    The type of the event. Always 'response.mcp_list_tools.completed'.
    """
    item_id: str
    """
    The ID of the MCP tool call item that produced this output.
    """
    output_index: int
    """
    The index of the output item that was processed.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPListToolsFailedEvent(SDKModel):
    """
    Emitted when the attempt to list available MCP tools has failed.

    """

    type: Literal["response.mcp_list_tools.failed"]
    """
    The type of the event. Always 'response.mcp_list_tools.failed'.
    """
    item_id: str
    """
    The ID of the MCP tool call item that failed.
    """
    output_index: int
    """
    The index of the output item that failed.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseMCPListToolsInProgressEvent(SDKModel):
    """
    Emitted when the system is in the process of retrieving the list of available MCP tools.

    """

    type: Literal["response.mcp_list_tools.in_progress"]
    """
    The type of the event. Always 'response.mcp_list_tools.in_progress'.
    """
    item_id: str
    """
    The ID of the MCP tool call item that is being processed.
    """
    output_index: int
    """
    The index of the output item that is being processed.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class Part(SDKModel):
    """
    The summary part that was added.

    """

    type: Literal["summary_text"]
    """
    The type of the summary part. Always `summary_text`.
    """
    text: str
    """
    The text of the summary part.
    """


class ResponseReasoningSummaryPartAddedEvent(SDKModel):
    """
    Emitted when a new reasoning summary part is added.
    """

    type: Literal["response.reasoning_summary_part.added"]
    """
    The type of the event. Always `response.reasoning_summary_part.added`.

    """
    item_id: str
    """
    The ID of the item this summary part is associated with.

    """
    output_index: int
    """
    The index of the output item this summary part is associated with.

    """
    summary_index: int
    """
    The index of the summary part within the reasoning summary.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """
    part: Part
    """
    The summary part that was added.

    """


class Part1(SDKModel):
    """
    The completed summary part.

    """

    type: Literal["summary_text"]
    """
    The type of the summary part. Always `summary_text`.
    """
    text: str
    """
    The text of the summary part.
    """


class ResponseReasoningSummaryPartDoneEvent(SDKModel):
    """
    Emitted when a reasoning summary part is completed.
    """

    type: Literal["response.reasoning_summary_part.done"]
    """
    The type of the event. Always `response.reasoning_summary_part.done`.

    """
    item_id: str
    """
    The ID of the item this summary part is associated with.

    """
    output_index: int
    """
    The index of the output item this summary part is associated with.

    """
    summary_index: int
    """
    The index of the summary part within the reasoning summary.

    """
    status: Literal["incomplete"] | None = None
    """
    The completion status of the summary part. Omitted when the part completed
    normally and set to `incomplete` when generation was interrupted.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """
    part: Part1
    """
    The completed summary part.

    """


class ResponseReasoningSummaryTextDeltaEvent(SDKModel):
    """
    Emitted when a delta is added to a reasoning summary text.
    """

    type: Literal["response.reasoning_summary_text.delta"]
    """
    The type of the event. Always `response.reasoning_summary_text.delta`.

    """
    item_id: str
    """
    The ID of the item this summary text delta is associated with.

    """
    output_index: int
    """
    The index of the output item this summary text delta is associated with.

    """
    summary_index: int
    """
    The index of the summary part within the reasoning summary.

    """
    delta: str
    """
    The text delta that was added to the summary.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseReasoningSummaryTextDoneEvent(SDKModel):
    """
    Emitted when a reasoning summary text is completed.
    """

    type: Literal["response.reasoning_summary_text.done"]
    """
    The type of the event. Always `response.reasoning_summary_text.done`.

    """
    item_id: str
    """
    The ID of the item this summary text is associated with.

    """
    output_index: int
    """
    The index of the output item this summary text is associated with.

    """
    summary_index: int
    """
    The index of the summary part within the reasoning summary.

    """
    text: str
    """
    The full text of the completed reasoning summary.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseReasoningTextDeltaEvent(SDKModel):
    """
    Emitted when a delta is added to a reasoning text.
    """

    type: Literal["response.reasoning_text.delta"]
    """
    The type of the event. Always `response.reasoning_text.delta`.

    """
    item_id: str
    """
    The ID of the item this reasoning text delta is associated with.

    """
    output_index: int
    """
    The index of the output item this reasoning text delta is associated with.

    """
    content_index: int
    """
    The index of the reasoning content part this delta is associated with.

    """
    delta: str
    """
    The text delta that was added to the reasoning content.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseReasoningTextDoneEvent(SDKModel):
    """
    Emitted when a reasoning text is completed.
    """

    type: Literal["response.reasoning_text.done"]
    """
    The type of the event. Always `response.reasoning_text.done`.

    """
    item_id: str
    """
    The ID of the item this reasoning text is associated with.

    """
    output_index: int
    """
    The index of the output item this reasoning text is associated with.

    """
    content_index: int
    """
    The index of the reasoning content part.

    """
    text: str
    """
    The full text of the completed reasoning content.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseRefusalDeltaEvent(SDKModel):
    """
    Emitted when there is a partial refusal text.
    """

    type: Literal["response.refusal.delta"]
    """
    The type of the event. Always `response.refusal.delta`.

    """
    item_id: str
    """
    The ID of the output item that the refusal text is added to.

    """
    output_index: int
    """
    The index of the output item that the refusal text is added to.

    """
    content_index: int
    """
    The index of the content part that the refusal text is added to.

    """
    delta: str
    """
    The refusal text that is added.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseRefusalDoneEvent(SDKModel):
    """
    Emitted when refusal text is finalized.
    """

    type: Literal["response.refusal.done"]
    """
    The type of the event. Always `response.refusal.done`.

    """
    item_id: str
    """
    The ID of the output item that the refusal text is finalized.

    """
    output_index: int
    """
    The index of the output item that the refusal text is finalized.

    """
    content_index: int
    """
    The index of the content part that the refusal text is finalized.

    """
    refusal: str
    """
    The refusal text that is finalized.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """


class ResponseShellCallCommandAddedStreamingEvent(SDKModel):
    """
    A streaming event that indicated a shell command was added to a tool call.
    """

    type: Literal["response.shell_call_command.added"]
    """
    The type of the event, always `response.shell_call_command.added`.
    """
    sequence_number: int
    """
    The sequence number of the event that was emitted.
    """
    output_index: int
    """
    The index of the output item that was updated.
    """
    command_index: int
    """
    The index of the shell command that was added.
    """
    command: str
    """
    The shell command that was added.
    """


class ResponseShellCallCommandDeltaStreamingEvent(SDKModel):
    """
    A streaming event that indicated a shell command was incrementally updated.
    """

    type: Literal["response.shell_call_command.delta"]
    """
    The type of the event, always `response.shell_call_command.delta`.
    """
    sequence_number: int
    """
    The sequence number of the event that was emitted.
    """
    output_index: int
    """
    The index of the output item that was updated.
    """
    command_index: int
    """
    The index of the shell command that was updated.
    """
    delta: str
    """
    The shell command delta that was appended.
    """
    obfuscation: str | None = None
    """
    An obfuscation string that was added to pad the event payload.
    """


class ResponseShellCallCommandDoneStreamingEvent(SDKModel):
    """
    A streaming event that indicated a shell command was completed.
    """

    type: Literal["response.shell_call_command.done"]
    """
    The type of the event, always `response.shell_call_command.done`.
    """
    sequence_number: int
    """
    The sequence number of the event that was emitted.
    """
    output_index: int
    """
    The index of the output item that was updated.
    """
    command_index: int
    """
    The index of the shell command that was completed.
    """
    command: str
    """
    The final shell command that was emitted.
    """


class ResponseStreamOptions1(SDKModel):
    """
    Options for streaming responses. Only set this when you set `stream: true`.

    """

    include_obfuscation: bool | None = None
    """
    When true, stream obfuscation will be enabled. Stream obfuscation adds
    random characters to an `obfuscation` field on streaming delta events to
    normalize payload sizes as a mitigation to certain side-channel attacks.
    These obfuscation fields are included by default, but add a small amount
    of overhead to the data stream. You can set `include_obfuscation` to
    false to optimize for bandwidth if you trust the network links between
    your application and the OpenAI API.

    """


ResponseStreamOptions = TypeAliasType("ResponseStreamOptions", ResponseStreamOptions1 | None)


class ResponseTextDeltaEvent(SDKModel):
    """
    Emitted when there is an additional text delta.
    """

    type: Literal["response.output_text.delta"]
    """
    The type of the event. Always `response.output_text.delta`.

    """
    item_id: str
    """
    The ID of the output item that the text delta was added to.

    """
    output_index: int
    """
    The index of the output item that the text delta was added to.

    """
    content_index: int
    """
    The index of the content part that the text delta was added to.

    """
    delta: str
    """
    The text delta that was added.

    """
    sequence_number: int
    """
    The sequence number for this event.
    """
    logprobs: list[ResponseLogProb] | None = None
    """
    The log probabilities of the tokens in the delta.

    """


class ResponseTextDoneEvent(SDKModel):
    """
    Emitted when text content is finalized.
    """

    type: Literal["response.output_text.done"]
    """
    The type of the event. Always `response.output_text.done`.

    """
    item_id: str
    """
    The ID of the output item that the text content is finalized.

    """
    output_index: int
    """
    The index of the output item that the text content is finalized.

    """
    content_index: int
    """
    The index of the content part that the text content is finalized.

    """
    text: str
    """
    The text content that is finalized.

    """
    sequence_number: int
    """
    The sequence number for this event.
    """
    logprobs: list[ResponseLogProb] | None = None
    """
    The log probabilities of the tokens in the delta.

    """


class InputTokensDetails(SDKModel):
    """
    A detailed breakdown of the input tokens.
    """

    cached_tokens: int
    """
    The number of tokens that were retrieved from the cache. 
    [More on prompt caching](/docs/guides/prompt-caching).

    """
    cache_write_tokens: int | None = None
    """
    The number of input tokens that were written to the cache.
    """


class OutputTokensDetails(SDKModel):
    """
    A detailed breakdown of the output tokens.
    """

    reasoning_tokens: int
    """
    The number of reasoning tokens.
    """


class ResponseUsage(SDKModel):
    """
    Represents token usage details including input tokens, output tokens,
    a breakdown of output tokens, and the total tokens used.

    """

    input_tokens: int
    """
    The number of input tokens.
    """
    input_tokens_details: InputTokensDetails
    """
    A detailed breakdown of the input tokens.
    """
    output_tokens: int
    """
    The number of output tokens.
    """
    output_tokens_details: OutputTokensDetails
    """
    A detailed breakdown of the output tokens.
    """
    total_tokens: int
    """
    The total number of tokens used.
    """


class ResponseWebSearchCallCompletedEvent(SDKModel):
    """
    Emitted when a web search call is completed.
    """

    type: Literal["response.web_search_call.completed"]
    """
    The type of the event. Always `response.web_search_call.completed`.

    """
    output_index: int
    """
    The index of the output item that the web search call is associated with.

    """
    item_id: str
    """
    Unique ID for the output item associated with the web search call.

    """
    sequence_number: int
    """
    The sequence number of the web search call being processed.
    """


class ResponseWebSearchCallInProgressEvent(SDKModel):
    """
    Emitted when a web search call is initiated.
    """

    type: Literal["response.web_search_call.in_progress"]
    """
    The type of the event. Always `response.web_search_call.in_progress`.

    """
    output_index: int
    """
    The index of the output item that the web search call is associated with.

    """
    item_id: str
    """
    Unique ID for the output item associated with the web search call.

    """
    sequence_number: int
    """
    The sequence number of the web search call being processed.
    """


class ResponseWebSearchCallSearchingEvent(SDKModel):
    """
    Emitted when a web search call is executing.
    """

    type: Literal["response.web_search_call.searching"]
    """
    The type of the event. Always `response.web_search_call.searching`.

    """
    output_index: int
    """
    The index of the output item that the web search call is associated with.

    """
    item_id: str
    """
    Unique ID for the output item associated with the web search call.

    """
    sequence_number: int
    """
    The sequence number of the web search call being processed.
    """


class ScreenshotParam(SDKModel):
    """
    A screenshot action.
    """

    type: Literal["screenshot"]
    """
    Specifies the event type. For a screenshot action, this property is always set to `screenshot`.
    """


class ScrollParam(SDKModel):
    """
    A scroll action.
    """

    type: Literal["scroll"]
    """
    Specifies the event type. For a scroll action, this property is always set to `scroll`.
    """
    x: int
    """
    The x-coordinate where the scroll occurred.
    """
    y: int
    """
    The y-coordinate where the scroll occurred.
    """
    scroll_x: int
    """
    The horizontal scroll distance.
    """
    scroll_y: int
    """
    The vertical scroll distance.
    """
    keys: list[str] | None = None


SearchContentType = TypeAliasType("SearchContentType", Literal["text", "image"])


SearchContextSize = TypeAliasType("SearchContextSize", Literal["low", "medium", "high"])


ServiceTierResponses = TypeAliasType(
    "ServiceTierResponses",
    Literal["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"] | None,
)


class ShellCallOutputDelta(SDKModel):
    """
    A delta of stdout/stderr emitted while a shell call was running.
    """

    stdout: str | None = None
    """
    The stdout delta that was emitted.
    """
    stderr: str | None = None
    """
    The stderr delta that was emitted.
    """


class SkillReferenceParam(SDKModel):
    type: Literal["skill_reference"]
    """
    References a skill created with the /v1/skills endpoint.
    """
    skill_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The ID of the referenced skill.
    """
    version: str | None = None
    """
    Optional skill version. Use a positive integer or 'latest'. Omit for default.
    """


class SpecificApplyPatchParam(SDKModel):
    """
    Forces the model to call the apply_patch tool when executing a tool call.
    """

    type: Literal["apply_patch"]
    """
    The tool to call. Always `apply_patch`.
    """


class SpecificFunctionShellParam(SDKModel):
    """
    Forces the model to call the shell tool when a tool call is required.
    """

    type: Literal["shell"]
    """
    The tool to call. Always `shell`.
    """


class SpecificProgrammaticToolCallingParam(SDKModel):
    type: Literal["programmatic_tool_calling"]
    """
    The tool to call. Always `programmatic_tool_calling`.
    """


class SummaryTextContent(SDKModel):
    """
    A summary text from the model.
    """

    type: Literal["summary_text"]
    """
    The type of the object. Always `summary_text`.
    """
    text: str
    """
    A summary of the reasoning output from the model so far.
    """


class TextResponseFormatJsonSchema(SDKModel):
    """
    JSON Schema response format. Used to generate structured JSON responses.
    Learn more about [Structured Outputs](/docs/guides/structured-outputs).

    """

    type: Literal["json_schema"]
    """
    The type of response format being defined. Always `json_schema`.
    """
    description: str | None = None
    """
    A description of what the response format is for, used by the model to
    determine how to respond in the format.

    """
    name: str
    """
    The name of the response format. Must be a-z, A-Z, 0-9, or contain
    underscores and dashes, with a maximum length of 64.

    """
    schema_: Annotated[ResponseFormatJsonSchemaSchema, Field(alias="schema")]
    strict: bool | None = None


class UnknownToolCallCaller(UnknownModel):
    """A `ToolCallCaller` whose `type` this SDK version does not know; keeps every field."""


ToolCallCaller = TypeAliasType(
    "ToolCallCaller",
    Annotated[
        Annotated[DirectToolCallCaller, Tag("DirectToolCallCaller")]
        | Annotated[ProgramToolCallCaller, Tag("ProgramToolCallCaller")]
        | Annotated[UnknownToolCallCaller, Tag("UnknownToolCallCaller")],
        Discriminator(
            type_discriminator(
                {"direct": "DirectToolCallCaller", "program": "ProgramToolCallCaller"},
                "UnknownToolCallCaller",
            )
        ),
    ],
)
"""
The execution context that produced this tool call.
"""


class UnknownToolCallCallerParam(UnknownModel):
    """A `ToolCallCallerParam` whose `type` this SDK version does not know; keeps every field."""


ToolCallCallerParam = TypeAliasType(
    "ToolCallCallerParam",
    Annotated[
        Annotated[DirectToolCallCallerParam, Tag("DirectToolCallCallerParam")]
        | Annotated[ProgramToolCallCallerParam, Tag("ProgramToolCallCallerParam")]
        | Annotated[UnknownToolCallCallerParam, Tag("UnknownToolCallCallerParam")],
        Discriminator(
            type_discriminator(
                {"direct": "DirectToolCallCallerParam", "program": "ProgramToolCallCallerParam"},
                "UnknownToolCallCallerParam",
            )
        ),
    ],
)
"""
The execution context that produced this tool call.
"""


class ToolChoiceAllowed(SDKModel):
    """
    Constrains the tools available to the model to a pre-defined set.

    """

    type: Literal["allowed_tools"]
    """
    Allowed tool configuration type. Always `allowed_tools`.
    """
    mode: Literal["auto", "required"]
    """
    Constrains the tools available to the model to a pre-defined set.

    `auto` allows the model to pick from among the allowed tools and generate a
    message.

    `required` requires the model to call one or more of the allowed tools.

    """
    tools: list[dict[str, Any]]
    """
    A list of tool definitions that the model should be allowed to call.

    For the Responses API, the list of tool definitions might look like:
    ```json
    [
      { "type": "function", "name": "get_weather" },
      { "type": "mcp", "server_label": "deepwiki" },
      { "type": "image_generation" }
    ]
    ```

    """


class ToolChoiceCustom(SDKModel):
    """
    Use this option to force the model to call a specific custom tool.

    """

    type: Literal["custom"]
    """
    For custom tool calling, the type is always `custom`.
    """
    name: str
    """
    The name of the custom tool to call.
    """


class ToolChoiceFunction(SDKModel):
    """
    Use this option to force the model to call a specific function.

    """

    type: Literal["function"]
    """
    For function calling, the type is always `function`.
    """
    name: str
    """
    The name of the function to call.
    """


class ToolChoiceMCP(SDKModel):
    """
    Use this option to force the model to call a specific tool on a remote MCP server.

    """

    type: Literal["mcp"]
    """
    For MCP tools, the type is always `mcp`.
    """
    server_label: str
    """
    The label of the MCP server to use.

    """
    name: str | None = None


ToolChoiceOptions = TypeAliasType(
    "ToolChoiceOptions",
    Annotated[Literal["none", "auto", "required"], Field(title="Tool choice mode")],
)
"""
Controls which (if any) tool is called by the model.

`none` means the model will not call any tool and instead generates a message.

`auto` means the model can pick between generating a message or calling one or
more tools.

`required` means the model must call one or more tools.

"""


class ToolChoiceTypes(SDKModel):
    """
    Indicates that the model should use a built-in tool to generate a response.
    [Learn more about built-in tools](/docs/guides/tools).

    """

    type: Literal[
        "file_search",
        "web_search_preview",
        "computer",
        "computer_use_preview",
        "computer_use",
        "web_search_preview_2025_03_11",
        "image_generation",
        "code_interpreter",
    ]
    """
    The type of hosted tool the model should to use. Learn more about
    [built-in tools](/docs/guides/tools).

    Allowed values are:
    - `file_search`
    - `web_search_preview`
    - `computer`
    - `computer_use_preview`
    - `computer_use`
    - `code_interpreter`
    - `image_generation`

    """


CallId1 = TypeAliasType("CallId1", Annotated[str, Field(max_length=64, min_length=1)])
"""
The unique ID of the tool search call generated by the model.
"""


ToolSearchExecutionType = TypeAliasType("ToolSearchExecutionType", Literal["server", "client"])


class ToolSearchToolParam(SDKModel):
    """
    Hosted or BYOT tool search configuration for deferred tools.
    """

    type: Literal["tool_search"]
    """
    The type of the tool. Always `tool_search`.
    """
    execution: ToolSearchExecutionType | None = None
    """
    Whether tool search is executed by the server or by the client.
    """
    description: str | None = None
    parameters: EmptyModelParam | None = None


class TopLogProb(SDKModel):
    """
    The top log probability of a token.
    """

    token: str
    logprob: float
    bytes: list[int]


class TypeParam(SDKModel):
    """
    An action to type in text.
    """

    type: Literal["type"]
    """
    Specifies the event type. For a type action, this property is always set to `type`.
    """
    text: str
    """
    The text to type.
    """


class UrlCitationBody(SDKModel):
    """
    A citation for a web resource used to generate a model response.
    """

    type: Literal["url_citation"]
    """
    The type of the URL citation. Always `url_citation`.
    """
    url: str
    """
    The URL of the web resource.
    """
    start_index: int
    """
    The index of the first character of the URL citation in the message.
    """
    end_index: int
    """
    The index of the last character of the URL citation in the message.
    """
    title: str
    """
    The title of the web resource.
    """


VectorStoreFileAttributes1 = TypeAliasType(
    "VectorStoreFileAttributes1", Annotated[str, Field(max_length=512)]
)


VectorStoreFileAttributes = TypeAliasType(
    "VectorStoreFileAttributes",
    dict[
        Annotated[str, StringConstraints(max_length=64)], VectorStoreFileAttributes1 | float | bool
    ]
    | None,
)


Verbosity = TypeAliasType("Verbosity", Literal["low", "medium", "high"] | None)


class WaitParam(SDKModel):
    """
    A wait action.
    """

    type: Literal["wait"]
    """
    Specifies the event type. For a wait action, this property is always set to `wait`.
    """


class WebSearchActionFind(SDKModel):
    """
    Action type "find_in_page": Searches for a pattern within a loaded page.

    """

    type: Literal["find_in_page"]
    """
    The action type.

    """
    url: str
    """
    The URL of the page searched for the pattern.

    """
    pattern: str
    """
    The pattern or text to search for within the page.

    """


class WebSearchActionOpenPage(SDKModel):
    """
    Action type "open_page" - Opens a specific URL from search results.

    """

    type: Literal["open_page"]
    """
    The action type.

    """
    url: str | None = None
    """
    The URL opened by the model.

    """


class Source(SDKModel):
    """
    A source used in the search.

    """

    type: Literal["url"]
    """
    The type of source. Always `url`.

    """
    url: str
    """
    The URL of the source.

    """


class WebSearchActionSearch(SDKModel):
    """
    Action type "search" - Performs a web search query.

    """

    type: Literal["search"]
    """
    The action type.

    """
    query: Annotated[str | None, Field(deprecated=True)] = None
    """
    The search query.

    """
    queries: Annotated[list[str] | None, Field(title="Search queries")] = None
    """
    The search queries.

    """
    sources: Annotated[list[Source] | None, Field(title="Web search sources")] = None
    """
    The sources used in the search.

    """


class WebSearchApproximateLocation1(SDKModel):
    """
    The approximate location of the user.

    """

    type: Literal["approximate"] = "approximate"
    """
    The type of location approximation. Always `approximate`.
    """
    country: str | None = None
    region: str | None = None
    city: str | None = None
    timezone: str | None = None


WebSearchApproximateLocation = TypeAliasType(
    "WebSearchApproximateLocation", WebSearchApproximateLocation1 | None
)


class WebSearchPreviewTool(SDKModel):
    """
    This tool searches the web for relevant results to use in a response. Learn more about the [web search tool](https://platform.openai.com/docs/guides/tools-web-search).
    """

    type: Literal["web_search_preview", "web_search_preview_2025_03_11"]
    """
    The type of the web search tool. One of `web_search_preview` or `web_search_preview_2025_03_11`.
    """
    user_location: ApproximateLocation | None = None
    search_context_size: SearchContextSize | None = None
    """
    High level guidance for the amount of context window space to use for the search. One of `low`, `medium`, or `high`. `medium` is the default.
    """
    search_content_types: list[SearchContentType] | None = None


class Filters1(SDKModel):
    """
    Filters for the search.

    """

    allowed_domains: list[str] | None = None


class WebSearchTool(SDKModel):
    """
    Search the Internet for sources related to the prompt. Learn more about the
    [web search tool](/docs/guides/tools-web-search).

    """

    type: Literal["web_search", "web_search_2025_08_26"]
    """
    The type of the web search tool. One of `web_search` or `web_search_2025_08_26`.
    """
    external_web_access: bool = True
    """
    Allow live internet access for web search. Defaults to true when omitted. When false, the web search tool runs in offline/cache-only mode and will not fetch new external content.
    """
    filters: Filters1 | None = None
    user_location: WebSearchApproximateLocation | None = None
    search_context_size: Literal["low", "medium", "high"] = "medium"
    """
    High level guidance for the amount of context window space to use for the search. One of `low`, `medium`, or `high`. `medium` is the default.
    """


class WebSearchToolCall(SDKModel):
    """
    The results of a web search tool call. See the
    [web search guide](/docs/guides/tools-web-search) for more information.

    """

    id: str
    """
    The unique ID of the web search tool call.

    """
    type: Literal["web_search_call"]
    """
    The type of the web search tool call. Always `web_search_call`.

    """
    status: Literal["in_progress", "searching", "completed", "failed"]
    """
    The status of the web search tool call.

    """
    action: Annotated[
        WebSearchActionSearch | WebSearchActionOpenPage | WebSearchActionFind,
        Field(discriminator="type"),
    ]
    """
    An object describing the specific action taken in this web search call.
    Includes details on how the model used the web (search, open_page, find_in_page).

    """


class UnknownAnnotation(UnknownModel):
    """A `Annotation` whose `type` this SDK version does not know; keeps every field."""


Annotation = TypeAliasType(
    "Annotation",
    Annotated[
        Annotated[FileCitationBody, Tag("FileCitationBody")]
        | Annotated[UrlCitationBody, Tag("UrlCitationBody")]
        | Annotated[ContainerFileCitationBody, Tag("ContainerFileCitationBody")]
        | Annotated[FilePath, Tag("FilePath")]
        | Annotated[UnknownAnnotation, Tag("UnknownAnnotation")],
        Discriminator(
            type_discriminator(
                {
                    "container_file_citation": "ContainerFileCitationBody",
                    "file_citation": "FileCitationBody",
                    "file_path": "FilePath",
                    "url_citation": "UrlCitationBody",
                },
                "UnknownAnnotation",
            )
        ),
    ],
)
"""
An annotation that applies to a span of output text.
"""


class UnknownApplyPatchOperationParam(UnknownModel):
    """A `ApplyPatchOperationParam` whose `type` this SDK version does not know; keeps every field."""


ApplyPatchOperationParam = TypeAliasType(
    "ApplyPatchOperationParam",
    Annotated[
        Annotated[ApplyPatchCreateFileOperationParam, Tag("ApplyPatchCreateFileOperationParam")]
        | Annotated[ApplyPatchDeleteFileOperationParam, Tag("ApplyPatchDeleteFileOperationParam")]
        | Annotated[ApplyPatchUpdateFileOperationParam, Tag("ApplyPatchUpdateFileOperationParam")]
        | Annotated[UnknownApplyPatchOperationParam, Tag("UnknownApplyPatchOperationParam")],
        Discriminator(
            type_discriminator(
                {
                    "create_file": "ApplyPatchCreateFileOperationParam",
                    "delete_file": "ApplyPatchDeleteFileOperationParam",
                    "update_file": "ApplyPatchUpdateFileOperationParam",
                },
                "UnknownApplyPatchOperationParam",
            )
        ),
    ],
)
"""
One of the create_file, delete_file, or update_file operations supplied to the apply_patch tool.
"""


class ApplyPatchToolCall(SDKModel):
    """
    A tool call that applies file diffs by creating, deleting, or updating files.
    """

    type: Literal["apply_patch_call"]
    """
    The type of the item. Always `apply_patch_call`.
    """
    id: str
    """
    The unique ID of the apply patch tool call. Populated when this item is returned via API.
    """
    call_id: str
    """
    The unique ID of the apply patch tool call generated by the model.
    """
    caller: ToolCallCaller | None = None
    status: ApplyPatchCallStatus
    """
    The status of the apply patch tool call. One of `in_progress` or `completed`.
    """
    operation: Annotated[
        ApplyPatchCreateFileOperation
        | ApplyPatchDeleteFileOperation
        | ApplyPatchUpdateFileOperation,
        Field(discriminator="type", title="Apply patch operation"),
    ]
    """
    One of the create_file, delete_file, or update_file operations applied via apply_patch.
    """
    created_by: str | None = None
    """
    The ID of the entity that created this tool call.
    """


class ApplyPatchToolCallItemParam(SDKModel):
    """
    A tool call representing a request to create, delete, or update files using diff patches.
    """

    type: Literal["apply_patch_call"]
    """
    The type of the item. Always `apply_patch_call`.
    """
    id: str | None = None
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The unique ID of the apply patch tool call generated by the model.
    """
    caller: ToolCallCallerParam | None = None
    status: ApplyPatchCallStatusParam
    """
    The status of the apply patch tool call. One of `in_progress` or `completed`.
    """
    operation: ApplyPatchOperationParam
    """
    The specific create, delete, or update instruction for the apply_patch tool call.
    """


class ApplyPatchToolCallOutput(SDKModel):
    """
    The output emitted by an apply patch tool call.
    """

    type: Literal["apply_patch_call_output"]
    """
    The type of the item. Always `apply_patch_call_output`.
    """
    id: str
    """
    The unique ID of the apply patch tool call output. Populated when this item is returned via API.
    """
    call_id: str
    """
    The unique ID of the apply patch tool call generated by the model.
    """
    caller: ToolCallCaller | None = None
    status: ApplyPatchCallOutputStatus
    """
    The status of the apply patch tool call output. One of `completed` or `failed`.
    """
    output: str | None = None
    created_by: str | None = None
    """
    The ID of the entity that created this tool call output.
    """


class ApplyPatchToolCallOutputItemParam(SDKModel):
    """
    The streamed output emitted by an apply patch tool call.
    """

    type: Literal["apply_patch_call_output"]
    """
    The type of the item. Always `apply_patch_call_output`.
    """
    id: str | None = None
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The unique ID of the apply patch tool call generated by the model.
    """
    caller: ToolCallCallerParam | None = None
    status: ApplyPatchCallOutputStatusParam
    """
    The status of the apply patch tool call output. One of `completed` or `failed`.
    """
    output: Output | None = None


class ApplyPatchToolParam(SDKModel):
    """
    Allows the assistant to create, delete, or update files using unified diffs.
    """

    type: Literal["apply_patch"]
    """
    The type of the tool. Always `apply_patch`.
    """
    allowed_callers: AllowedCallers | None = None


class UnknownComputerAction(UnknownModel):
    """A `ComputerAction` whose `type` this SDK version does not know; keeps every field."""


ComputerAction = TypeAliasType(
    "ComputerAction",
    Annotated[
        Annotated[ClickParam, Tag("ClickParam")]
        | Annotated[DoubleClickAction, Tag("DoubleClickAction")]
        | Annotated[DragParam, Tag("DragParam")]
        | Annotated[KeyPressAction, Tag("KeyPressAction")]
        | Annotated[MoveParam, Tag("MoveParam")]
        | Annotated[ScreenshotParam, Tag("ScreenshotParam")]
        | Annotated[ScrollParam, Tag("ScrollParam")]
        | Annotated[TypeParam, Tag("TypeParam")]
        | Annotated[WaitParam, Tag("WaitParam")]
        | Annotated[UnknownComputerAction, Tag("UnknownComputerAction")],
        Discriminator(
            type_discriminator(
                {
                    "click": "ClickParam",
                    "double_click": "DoubleClickAction",
                    "drag": "DragParam",
                    "keypress": "KeyPressAction",
                    "move": "MoveParam",
                    "screenshot": "ScreenshotParam",
                    "scroll": "ScrollParam",
                    "type": "TypeParam",
                    "wait": "WaitParam",
                },
                "UnknownComputerAction",
            )
        ),
    ],
)


ComputerActionList = TypeAliasType(
    "ComputerActionList", Annotated[list[ComputerAction], Field(title="Computer Action List")]
)
"""
Flattened batched actions for `computer_use`. Each action includes an
`type` discriminator and action-specific fields.

"""


class ComputerCallOutputItemParam(SDKModel):
    """
    The output of a computer tool call.
    """

    id: str | None = None
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The ID of the computer tool call that produced the output.
    """
    type: Literal["computer_call_output"]
    """
    The type of the computer tool call output. Always `computer_call_output`.
    """
    output: ComputerScreenshotImage
    acknowledged_safety_checks: list[ComputerCallSafetyCheckParam] | None = None
    status: FunctionCallItemStatus | None = None


class ComputerToolCall(SDKModel):
    """
    A tool call to a computer use tool. See the
    [computer use guide](/docs/guides/tools-computer-use) for more information.

    """

    type: Literal["computer_call"]
    """
    The type of the computer call. Always `computer_call`.
    """
    id: str
    """
    The unique ID of the computer call.
    """
    call_id: str
    """
    An identifier used when responding to the tool call with output.

    """
    action: ComputerAction | None = None
    actions: ComputerActionList | None = None
    pending_safety_checks: list[ComputerCallSafetyCheckParam]
    """
    The pending safety checks for the computer call.

    """
    status: Literal["in_progress", "completed", "incomplete"]
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """


class ContainerNetworkPolicyAllowlistParam(SDKModel):
    type: Literal["allowlist"]
    """
    Allow outbound network access only to specified domains. Always `allowlist`.
    """
    allowed_domains: Annotated[list[str], Field(min_length=1)]
    """
    A list of allowed domains when type is `allowlist`.
    """
    domain_secrets: Annotated[
        list[ContainerNetworkPolicyDomainSecretParam] | None, Field(min_length=1)
    ] = None
    """
    Optional domain-scoped secrets for allowlisted domains.
    """


ConversationParam = TypeAliasType("ConversationParam", str | ConversationParam2)
"""
The conversation that this response belongs to. Items from this conversation are prepended to `input_items` for this response request.
Input items and output items from this response are automatically added to this conversation after this response completes.

"""


class CustomGrammarFormatParam(SDKModel):
    """
    A grammar defined by the user.
    """

    type: Literal["grammar"]
    """
    Grammar format. Always `grammar`.
    """
    syntax: GrammarSyntax1
    """
    The syntax of the grammar definition. One of `lark` or `regex`.
    """
    definition: str
    """
    The grammar definition.
    """


class CustomToolCall(SDKModel):
    """
    A call to a custom tool created by the model.

    """

    type: Literal["custom_tool_call"]
    """
    The type of the custom tool call. Always `custom_tool_call`.

    """
    id: str | None = None
    """
    The unique ID of the custom tool call in the OpenAI platform.

    """
    call_id: str
    """
    An identifier used to map this custom tool call to a tool call output.

    """
    caller: ToolCallCaller | None = None
    namespace: str | None = None
    """
    The namespace of the custom tool being called.

    """
    name: str
    """
    The name of the custom tool being called.

    """
    input: str
    """
    The input for the custom tool call generated by the model.

    """


class CustomToolParam(SDKModel):
    """
    A custom tool that processes input using a specified format. Learn more about   [custom tools](/docs/guides/function-calling#custom-tools)
    """

    type: Literal["custom"]
    """
    The type of the custom tool. Always `custom`.
    """
    name: str
    """
    The name of the custom tool, used to identify it in tool calls.
    """
    description: str | None = None
    """
    Optional description of the custom tool, used to provide more context.
    """
    format: Annotated[
        CustomTextFormatParam | CustomGrammarFormatParam | None, Field(discriminator="type")
    ] = None
    """
    The input format for the custom tool. Default is unconstrained text.
    """
    defer_loading: bool | None = None
    """
    Whether this tool should be deferred and discovered via tool search.
    """
    allowed_callers: AllowedCallers | None = None


class Result(SDKModel):
    file_id: str | None = None
    """
    The unique ID of the file.

    """
    text: str | None = None
    """
    The text that was retrieved from the file.

    """
    filename: str | None = None
    """
    The name of the file.

    """
    attributes: VectorStoreFileAttributes | None = None
    score: float | None = None
    """
    The relevance score of the file - a value between 0 and 1.

    """


class FileSearchToolCall(SDKModel):
    """
    The results of a file search tool call. See the
    [file search guide](/docs/guides/tools-file-search) for more information.

    """

    id: str
    """
    The unique ID of the file search tool call.

    """
    type: Literal["file_search_call"]
    """
    The type of the file search tool call. Always `file_search_call`.

    """
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"]
    """
    The status of the file search tool call. One of `in_progress`,
    `searching`, `incomplete` or `failed`,

    """
    queries: list[str]
    """
    The queries used to search for files.

    """
    results: list[Result] | None = None


class FunctionShellCall(SDKModel):
    """
    A tool call that executes one or more shell commands in a managed environment.
    """

    type: Literal["shell_call"]
    """
    The type of the item. Always `shell_call`.
    """
    id: str
    """
    The unique ID of the shell tool call. Populated when this item is returned via API.
    """
    call_id: str
    """
    The unique ID of the shell tool call generated by the model.
    """
    caller: ToolCallCaller | None = None
    action: FunctionShellAction
    """
    The shell commands and limits that describe how to run the tool call.
    """
    status: FunctionShellCallStatus
    """
    The status of the shell call. One of `in_progress`, `completed`, or `incomplete`.
    """
    environment: LocalEnvironmentResource | ContainerReferenceResource | None
    created_by: str | None = None
    """
    The ID of the entity that created this tool call.
    """


class FunctionShellCallOutputContent(SDKModel):
    """
    The content of a shell tool call output that was emitted.
    """

    stdout: str
    """
    The standard output that was captured.
    """
    stderr: str
    """
    The standard error output that was captured.
    """
    outcome: Annotated[
        FunctionShellCallOutputTimeoutOutcome | FunctionShellCallOutputExitOutcome,
        Field(discriminator="type", title="Shell call outcome"),
    ]
    """
    Represents either an exit outcome (with an exit code) or a timeout outcome for a shell call output chunk.
    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.
    """


class UnknownFunctionShellCallOutputOutcomeParam(UnknownModel):
    """A `FunctionShellCallOutputOutcomeParam` whose `type` this SDK version does not know; keeps every field."""


FunctionShellCallOutputOutcomeParam = TypeAliasType(
    "FunctionShellCallOutputOutcomeParam",
    Annotated[
        Annotated[
            FunctionShellCallOutputTimeoutOutcomeParam,
            Tag("FunctionShellCallOutputTimeoutOutcomeParam"),
        ]
        | Annotated[
            FunctionShellCallOutputExitOutcomeParam, Tag("FunctionShellCallOutputExitOutcomeParam")
        ]
        | Annotated[
            UnknownFunctionShellCallOutputOutcomeParam,
            Tag("UnknownFunctionShellCallOutputOutcomeParam"),
        ],
        Discriminator(
            type_discriminator(
                {
                    "exit": "FunctionShellCallOutputExitOutcomeParam",
                    "timeout": "FunctionShellCallOutputTimeoutOutcomeParam",
                },
                "UnknownFunctionShellCallOutputOutcomeParam",
            )
        ),
    ],
)
"""
The exit or timeout outcome associated with this shell call.
"""


class FunctionToolCall(SDKModel):
    """
    A tool call to run a function. See the
    [function calling guide](/docs/guides/function-calling) for more information.

    """

    id: str | None = None
    """
    The unique ID of the function tool call.

    """
    type: Literal["function_call"]
    """
    The type of the function tool call. Always `function_call`.

    """
    call_id: str
    """
    The unique ID of the function tool call generated by the model.

    """
    caller: ToolCallCaller | None = None
    namespace: str | None = None
    """
    The namespace of the function to run.

    """
    name: str
    """
    The name of the function to run.

    """
    arguments: str
    """
    A JSON string of the arguments to pass to the function.

    """
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """


class ImageGenTool(SDKModel):
    """
    A tool that generates images using the GPT image models.

    """

    type: Literal["image_generation"]
    """
    The type of the image generation tool. Always `image_generation`.

    """
    model: (
        str
        | Literal[
            "gpt-image-1",
            "gpt-image-1-mini",
            "gpt-image-1.5",
            "gpt-image-2",
            "gpt-image-2-2026-04-21",
        ]
        | None
    ) = None
    quality: Literal["low", "medium", "high", "auto"] = "auto"
    """
    The quality of the generated image. One of `low`, `medium`, `high`,
    or `auto`. Default: `auto`.

    """
    size: str | Literal["1024x1024", "1024x1536", "1536x1024", "auto"] = "auto"
    """
    The size of the generated images. For `gpt-image-2` and `gpt-image-2-2026-04-21`, arbitrary resolutions are supported as `WIDTHxHEIGHT` strings, for example `1536x864`. Width and height must both be divisible by 16 and the requested aspect ratio must be between 1:3 and 3:1. Resolutions above `2560x1440` are experimental, and the maximum supported resolution is `3840x2160`. The requested size must also satisfy the model's current pixel and edge limits. The standard sizes `1024x1024`, `1536x1024`, and `1024x1536` are supported by the GPT image models; `auto` is supported for models that allow automatic sizing. For `dall-e-2`, use one of `256x256`, `512x512`, or `1024x1024`. For `dall-e-3`, use one of `1024x1024`, `1792x1024`, or `1024x1792`.
    """
    output_format: Literal["png", "webp", "jpeg"] = "png"
    """
    The output format of the generated image. One of `png`, `webp`, or
    `jpeg`. Default: `png`.

    """
    output_compression: Annotated[int, Field(ge=0, le=100)] = 100
    """
    Compression level for the output image. Default: 100.

    """
    moderation: Literal["auto", "low"] = "auto"
    """
    Moderation level for the generated image. Default: `auto`.

    """
    background: Literal["transparent", "opaque", "auto"] = "auto"
    """
    Set the background of the generated image. One of `transparent`,
    `opaque`, or `auto`. Transparent backgrounds are available for
    supported GPT Image models. For `gpt-image-2` and
    `gpt-image-2-2026-04-21`, this support is in preview. When using
    `transparent`, set the output format to `png` or `webp`. Default: `auto`.

    """
    input_fidelity: InputFidelity | None = None
    input_image_mask: InputImageMask | None = None
    """
    Optional mask for inpainting. Contains `image_url`
    (string, optional) and `file_id` (string, optional).

    """
    partial_images: Annotated[int, Field(ge=0, le=3)] = 0
    """
    Number of partial images to generate in streaming mode, from 0 (default value) to 3.

    """
    action: ImageGenActionEnum | None = None
    """
    Whether to generate a new image or edit an existing image. Default: `auto`.

    """


class InlineSkillParam(SDKModel):
    type: Literal["inline"]
    """
    Defines an inline skill for this request.
    """
    name: str
    """
    The name of the skill.
    """
    description: str
    """
    The description of the skill.
    """
    source: InlineSkillSourceParam
    """
    Inline skill payload
    """


class InputFileContent(SDKModel):
    """
    A file input to the model.
    """

    type: Literal["input_file"]
    """
    The type of the input item. Always `input_file`.
    """
    file_id: str | None = None
    filename: str | None = None
    """
    The name of the file to be sent to the model.
    """
    file_data: str | None = None
    """
    The content of the file to be sent to the model.

    """
    prompt_cache_breakpoint: PromptCacheBreakpointConfig | None = None
    file_url: str | None = None
    """
    The URL of the file to be sent to the model.
    """
    detail: FileInputDetail | None = None
    """
    The detail level of the file to be sent to the model. Use `auto` to let the system select the detail level; for GPT-5.6 and later models, `auto` uses high-quality rendering, which may increase input token usage. Use `low` for lower-cost rendering, or `high` to render the file at higher quality. Defaults to `auto`.
    """


class InputFileContentParam(SDKModel):
    """
    A file input to the model.
    """

    type: Literal["input_file"]
    """
    The type of the input item. Always `input_file`.
    """
    file_id: str | None = None
    filename: str | None = None
    file_data: FileData | None = None
    file_url: str | None = None
    detail: FileDetailEnum | None = None
    """
    The detail level of the file to be sent to the model. Use `auto` to let the system select the detail level; for GPT-5.6 and later models, `auto` uses high-quality rendering, which may increase input token usage. Use `low` for lower-cost rendering, or `high` to render the file at higher quality. Defaults to `auto`.
    """
    prompt_cache_breakpoint: PromptCacheBreakpointParam | None = None


class InputImageContent(SDKModel):
    """
    An image input to the model. Learn about [image inputs](/docs/guides/vision).
    """

    type: Literal["input_image"]
    """
    The type of the input item. Always `input_image`.
    """
    image_url: str | None = None
    file_id: str | None = None
    detail: ImageDetail | None = None
    """
    The detail level of the image to be sent to the model. One of `high`, `low`, `auto`, or `original`. Defaults to `auto`.
    """
    prompt_cache_breakpoint: PromptCacheBreakpointConfig | None = None


class InputImageContentParamAutoParam(SDKModel):
    """
    An image input to the model. Learn about [image inputs](/docs/guides/vision)
    """

    type: Literal["input_image"]
    """
    The type of the input item. Always `input_image`.
    """
    image_url: ImageUrl | None = None
    file_id: str | None = None
    detail: DetailEnum | None = None
    prompt_cache_breakpoint: PromptCacheBreakpointParam | None = None


class InputTextContent(SDKModel):
    """
    A text input to the model.
    """

    type: Literal["input_text"]
    """
    The type of the input item. Always `input_text`.
    """
    text: str
    """
    The text input to the model.
    """
    prompt_cache_breakpoint: PromptCacheBreakpointConfig | None = None


class InputTextContentParam(SDKModel):
    """
    A text input to the model.
    """

    type: Literal["input_text"]
    """
    The type of the input item. Always `input_text`.
    """
    text: Annotated[str, Field(max_length=10485760)]
    """
    The text input to the model.
    """
    prompt_cache_breakpoint: PromptCacheBreakpointParam | None = None


class LocalEnvironmentParam(SDKModel):
    type: Literal["local"]
    """
    Use a local computer environment.
    """
    skills: Annotated[list[LocalSkillParam] | None, Field(max_length=200)] = None
    """
    An optional list of skills.
    """


class LogProb(SDKModel):
    """
    The log probability of a token.
    """

    token: str
    logprob: float
    bytes: list[int]
    top_logprobs: list[TopLogProb]


class MCPListTools(SDKModel):
    """
    A list of tools available on an MCP server.

    """

    type: Literal["mcp_list_tools"]
    """
    The type of the item. Always `mcp_list_tools`.

    """
    id: str
    """
    The unique ID of the list.

    """
    server_label: str
    """
    The label of the MCP server.

    """
    tools: list[MCPListToolsTool]
    """
    The tools available on the server.

    """
    error: str | None = None


class RequireApproval(SDKModel):
    """
    Specify which of the MCP server's tools require approval. Can be
    `always`, `never`, or a filter object associated with tools
    that require approval.

    """

    model_config = ConfigDict(
        extra="forbid",
    )
    always: MCPToolFilter | None = None
    never: MCPToolFilter | None = None


class MCPTool(SDKModel):
    """
    Give the model access to additional tools via remote Model Context Protocol
    (MCP) servers. [Learn more about MCP](/docs/guides/tools-remote-mcp).

    """

    type: Literal["mcp"]
    """
    The type of the MCP tool. Always `mcp`.
    """
    server_label: str
    """
    A label for this MCP server, used to identify it in tool calls.

    """
    server_url: str | None = None
    """
    The URL for the MCP server. One of `server_url`, `connector_id`, or
    `tunnel_id` must be provided.

    """
    connector_id: (
        Literal[
            "connector_dropbox",
            "connector_gmail",
            "connector_googlecalendar",
            "connector_googledrive",
            "connector_microsoftteams",
            "connector_outlookcalendar",
            "connector_outlookemail",
            "connector_sharepoint",
        ]
        | None
    ) = None
    """
    Identifier for service connectors, like those available in ChatGPT. One of
    `server_url`, `connector_id`, or `tunnel_id` must be provided. Learn more
    about service connectors [here](/docs/guides/tools-remote-mcp#connectors).

    Currently supported `connector_id` values are:

    - Dropbox: `connector_dropbox`
    - Gmail: `connector_gmail`
    - Google Calendar: `connector_googlecalendar`
    - Google Drive: `connector_googledrive`
    - Microsoft Teams: `connector_microsoftteams`
    - Outlook Calendar: `connector_outlookcalendar`
    - Outlook Email: `connector_outlookemail`
    - SharePoint: `connector_sharepoint`

    """
    tunnel_id: Annotated[str | None, Field(pattern="^tunnel_[a-z0-9]{32}$")] = None
    """
    The Secure MCP Tunnel ID to use instead of a direct server URL. One of
    `server_url`, `connector_id`, or `tunnel_id` must be provided.

    """
    authorization: str | None = None
    """
    An OAuth access token that can be used with a remote MCP server, either
    with a custom MCP server URL or a service connector. Your application
    must handle the OAuth authorization flow and provide the token here.

    """
    server_description: str | None = None
    """
    Optional description of the MCP server, used to provide more context.

    """
    headers: dict[str, str] | None = None
    allowed_tools: list[str] | MCPToolFilter | None = None
    allowed_callers: AllowedCallers | None = None
    require_approval: RequireApproval | Literal["always", "never"] | None = None
    defer_loading: bool | None = None
    """
    Whether this MCP tool is deferred and discovered via tool search.

    """


class UnknownMCPToolCallError(UnknownModel):
    """A `MCPToolCallError` whose `type` this SDK version does not know; keeps every field."""


MCPToolCallError = TypeAliasType(
    "MCPToolCallError",
    Annotated[
        Annotated[MCPProtocolError, Tag("MCPProtocolError")]
        | Annotated[MCPToolExecutionError, Tag("MCPToolExecutionError")]
        | Annotated[HTTPError, Tag("HTTPError")]
        | Annotated[UnknownMCPToolCallError, Tag("UnknownMCPToolCallError")],
        Discriminator(
            type_discriminator(
                {
                    "http_error": "HTTPError",
                    "mcp_protocol_error": "MCPProtocolError",
                    "mcp_tool_execution_error": "MCPToolExecutionError",
                },
                "UnknownMCPToolCallError",
            )
        ),
    ],
)


ModelIdsResponses = TypeAliasType(
    "ModelIdsResponses",
    ModelIdsShared
    | Literal[
        "o1-pro",
        "o1-pro-2025-03-19",
        "o3-pro",
        "o3-pro-2025-06-10",
        "o3-deep-research",
        "o3-deep-research-2025-06-26",
        "o4-mini-deep-research",
        "o4-mini-deep-research-2025-06-26",
        "computer-use-preview",
        "computer-use-preview-2025-03-11",
        "gpt-5.5-pro",
        "gpt-5.5-pro-2026-04-23",
        "gpt-5-codex",
        "gpt-5-pro",
        "gpt-5-pro-2025-10-06",
        "gpt-5.1-codex-max",
        "gpt-daybreak-blue-latest",
        "gpt-daybreak-red-latest",
        "gpt-5.6-cyber",
    ],
)


class Moderation(SDKModel):
    """
    Moderation results or errors for the response input and output.
    """

    input: Annotated[ModerationResultBody | ModerationErrorBody, Field(discriminator="type")]
    """
    Moderation for the response input.
    """
    output: Annotated[ModerationResultBody | ModerationErrorBody, Field(discriminator="type")]
    """
    Moderation for the response output.
    """


class ModerationConfigParam(SDKModel):
    """
    The moderation policy for the response input.
    """

    mode: ModerationMode


class ModerationPolicyParam(SDKModel):
    """
    The policy to apply to moderated response input and output.
    """

    input: ModerationConfigParam | None = None
    output: ModerationConfigParam | None = None


class UnknownTools(UnknownModel):
    """A `Tools` whose `type` this SDK version does not know; keeps every field."""


Tools = TypeAliasType(
    "Tools",
    Annotated[
        Annotated[FunctionToolParam, Tag("FunctionToolParam")]
        | Annotated[CustomToolParam, Tag("CustomToolParam")]
        | Annotated[UnknownTools, Tag("UnknownTools")],
        Discriminator(
            type_discriminator(
                {"custom": "CustomToolParam", "function": "FunctionToolParam"}, "UnknownTools"
            )
        ),
    ],
)
"""
A function or custom tool that belongs to a namespace.
"""


class NamespaceToolParam(SDKModel):
    """
    Groups function/custom tools under a shared namespace.
    """

    type: Literal["namespace"]
    """
    The type of the tool. Always `namespace`.
    """
    name: Annotated[str, Field(min_length=1)]
    """
    The namespace name used in tool calls (for example, `crm`).
    """
    description: str
    """
    A description of the namespace shown to the model.
    """
    tools: Annotated[list[Tools], Field(min_length=1)]
    """
    The function/custom tools available inside this namespace.
    """


class OutputTextContent(SDKModel):
    """
    A text output from the model.
    """

    type: Literal["output_text"]
    """
    The type of the output text. Always `output_text`.
    """
    text: str
    """
    The text output from the model.
    """
    annotations: list[Annotation] | None = None
    """
    The annotations of the text output.
    """
    logprobs: list[LogProb] | None = None


class ProgramOutput(SDKModel):
    type: Literal["program_output"]
    """
    The type of the item. Always `program_output`.
    """
    id: str
    """
    The unique ID of the program output item.
    """
    call_id: str
    """
    The call ID of the program item.
    """
    result: str
    """
    The result produced by the program item.
    """
    status: ProgramOutputStatus
    """
    The terminal status of the program output item.
    """


class ProgramOutputItemParam(SDKModel):
    id: str
    """
    The unique ID of this program output item.
    """
    type: Literal["program_output"]
    """
    The item type. Always `program_output`.
    """
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The call ID of the program item.
    """
    result: Annotated[str, Field(max_length=10485760)]
    """
    The result produced by the program item.
    """
    status: ProgramOutputItemStatus
    """
    The terminal status of the program output.
    """


class PromptCacheOptions(SDKModel):
    """
    The prompt-caching options that were applied to the response. Supported for `gpt-5.6` and later models.
    """

    ttl: PromptCacheTTLEnum
    """
    The minimum lifetime applied to each cache breakpoint.
    """
    mode: PromptCacheModeEnum
    """
    Whether implicit prompt-cache breakpoints were enabled.
    """


class PromptCacheOptionsParam(SDKModel):
    """
    Options for prompt caching. Supported for `gpt-5.6` and later models. By default, OpenAI automatically chooses one implicit cache breakpoint. You can add explicit breakpoints to content blocks with `prompt_cache_breakpoint`. Each request can write up to four breakpoints. For cache matching, OpenAI considers up to the latest 80 breakpoints in the conversation, without a content-block lookback limit. Set `mode` to `explicit` to disable the implicit breakpoint. The `ttl` defaults to `30m`, which is currently the only supported value. See the [prompt caching guide](/docs/guides/prompt-caching) for current details.
    """

    ttl: PromptCacheTTLEnum | None = None
    """
    The minimum lifetime applied to every implicit and explicit cache breakpoint written by the request. Defaults to `30m`, which is currently the only supported value. The backend may retain cache entries for longer.
    """
    mode: PromptCacheModeEnum | None = None
    """
    Controls whether OpenAI automatically creates an implicit cache breakpoint. Defaults to `implicit`. With `implicit`, OpenAI creates one implicit breakpoint and writes up to the latest three explicit breakpoints in the request. With `explicit`, OpenAI does not create an implicit breakpoint and writes up to the latest four explicit breakpoints. If there are no explicit breakpoints, the request does not use prompt caching.
    """


class Reasoning(SDKModel):
    """
    **gpt-5 and o-series models only**

    Configuration options for
    [reasoning models](https://platform.openai.com/docs/guides/reasoning).

    """

    mode: ReasoningModeEnum | None = None
    """
    Controls the reasoning execution mode for the request.

    When returned on a response, this is the effective execution mode.

    """
    effort: ReasoningEffort | None = None
    summary: Literal["auto", "concise", "detailed"] | None = None
    context: Literal["auto", "current_turn", "all_turns"] | None = None
    generate_summary: Literal["auto", "concise", "detailed"] | None = None


class ReasoningItem(SDKModel):
    """
    A description of the chain of thought used by a reasoning model while generating
    a response. Be sure to include these items in your `input` to the Responses API
    for subsequent turns of a conversation if you are manually
    [managing context](/docs/guides/conversation-state).

    """

    type: Literal["reasoning"]
    """
    The type of the object. Always `reasoning`.

    """
    id: str | None = None
    """
    The unique identifier of the reasoning content.

    """
    encrypted_content: str | None = None
    summary: list[SummaryTextContent]
    """
    Reasoning summary content.

    """
    content: list[ReasoningTextContent] | None = None
    """
    Reasoning text content.

    """
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """


class ResponseError1(SDKModel):
    """
    An error object returned when the model fails to generate a Response.

    """

    code: ResponseErrorCode
    message: str
    """
    A human-readable description of the error.

    """


ResponseError = TypeAliasType("ResponseError", ResponseError1 | None)


class ResponseOutputTextAnnotationAddedEvent(SDKModel):
    """
    Emitted when an annotation is added to output text content.

    """

    type: Literal["response.output_text.annotation.added"]
    """
    The type of the event. Always 'response.output_text.annotation.added'.
    """
    item_id: str
    """
    The unique identifier of the item to which the annotation is being added.
    """
    output_index: int
    """
    The index of the output item in the response's output array.
    """
    content_index: int
    """
    The index of the content part within the output item.
    """
    annotation_index: int
    """
    The index of the annotation within the content part.
    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    annotation: Annotation | None
    """
    The annotation object being added. (See annotation schema for details.)
    """


ResponsePromptVariables = TypeAliasType(
    "ResponsePromptVariables",
    dict[str, str | InputTextContent | InputImageContent | InputFileContent] | None,
)


class ResponseShellCallOutputContentDeltaStreamingEvent(SDKModel):
    """
    A streaming event that indicated shell call output was incrementally added.
    """

    type: Literal["response.shell_call_output_content.delta"]
    """
    The type of the event, always `response.shell_call_output_content.delta`.
    """
    sequence_number: int
    """
    The sequence number of the event that was emitted.
    """
    item_id: str
    """
    The ID of the output item that was updated.
    """
    output_index: int
    """
    The index of the output item that was updated.
    """
    command_index: int
    """
    The index of the shell command that produced output.
    """
    delta: ShellCallOutputDelta
    """
    The stdout/stderr delta that was emitted.
    """


class ResponseShellCallOutputContentDoneStreamingEvent(SDKModel):
    """
    A streaming event that indicated shell call output was completed.
    """

    type: Literal["response.shell_call_output_content.done"]
    """
    The type of the event, always `response.shell_call_output_content.done`.
    """
    sequence_number: int
    """
    The sequence number of the event that was emitted.
    """
    item_id: str
    """
    The ID of the output item that was updated.
    """
    output_index: int
    """
    The index of the output item that was updated.
    """
    command_index: int
    """
    The index of the shell command that produced output.
    """
    output: list[FunctionShellCallOutputContent]
    """
    The output contents emitted for the shell command.
    """


TextResponseFormatConfiguration = TypeAliasType(
    "TextResponseFormatConfiguration",
    ResponseFormatText | TextResponseFormatJsonSchema | ResponseFormatJsonObject,
)
"""
An object specifying the format that the model must output.

Configuring `{ "type": "json_schema" }` enables Structured Outputs, 
which ensures the model will match your supplied JSON schema. Learn more in the 
[Structured Outputs guide](/docs/guides/structured-outputs).

The default format is `{ "type": "text" }` with no additional options.

**Not recommended for gpt-4o and newer models:**

Setting to `{ "type": "json_object" }` enables the older JSON mode, which
ensures the message the model generates is valid JSON. Using `json_schema`
is preferred for models that support it.

"""


ToolChoiceParam = TypeAliasType(
    "ToolChoiceParam",
    ToolChoiceOptions
    | ToolChoiceAllowed
    | ToolChoiceTypes
    | ToolChoiceFunction
    | ToolChoiceMCP
    | ToolChoiceCustom
    | SpecificProgrammaticToolCallingParam
    | SpecificApplyPatchParam
    | SpecificFunctionShellParam,
)
"""
How the model should select which tool (or tools) to use when generating
a response. See the `tools` parameter to see how to specify which tools
the model can call.

"""


class ToolSearchCall(SDKModel):
    type: Literal["tool_search_call"]
    """
    The type of the item. Always `tool_search_call`.
    """
    id: str
    """
    The unique ID of the tool search call item.
    """
    call_id: str | None
    execution: ToolSearchExecutionType
    """
    Whether tool search was executed by the server or by the client.
    """
    arguments: Any
    """
    Arguments used for the tool search call.
    """
    status: FunctionCallStatus
    """
    The status of the tool search call item that was recorded.
    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.
    """


class ToolSearchCallItemParam(SDKModel):
    id: str | None = None
    call_id: CallId1 | None = None
    type: Literal["tool_search_call"]
    """
    The item type. Always `tool_search_call`.
    """
    execution: ToolSearchExecutionType | None = None
    """
    Whether tool search was executed by the server or by the client.
    """
    arguments: EmptyModelParam
    """
    The arguments supplied to the tool search call.
    """
    status: FunctionCallItemStatus | None = None


class AutoCodeInterpreterToolParam(SDKModel):
    """
    Configuration for a code interpreter container. Optionally specify the IDs of the files to run the code on.
    """

    type: Literal["auto"]
    """
    Always `auto`.
    """
    file_ids: Annotated[list[str] | None, Field(max_length=50)] = None
    """
    An optional list of uploaded files to make available to your code.
    """
    memory_limit: ContainerMemoryLimit | None = None
    network_policy: Annotated[
        ContainerNetworkPolicyDisabledParam | ContainerNetworkPolicyAllowlistParam | None,
        Field(discriminator="type"),
    ] = None
    """
    Network access policy for the container.
    """


class CodeInterpreterTool(SDKModel):
    """
    A tool that runs Python code to help generate a response to a prompt.

    """

    type: Literal["code_interpreter"]
    """
    The type of the code interpreter tool. Always `code_interpreter`.

    """
    container: str | AutoCodeInterpreterToolParam
    """
    The code interpreter container. Can be a container ID or an object that
    specifies uploaded file IDs to make available to your code, along with an
    optional `memory_limit` setting.

    """
    allowed_callers: AllowedCallers | None = None


class UnknownSkills(UnknownModel):
    """A `Skills` whose `type` this SDK version does not know; keeps every field."""


Skills = TypeAliasType(
    "Skills",
    Annotated[
        Annotated[SkillReferenceParam, Tag("SkillReferenceParam")]
        | Annotated[InlineSkillParam, Tag("InlineSkillParam")]
        | Annotated[UnknownSkills, Tag("UnknownSkills")],
        Discriminator(
            type_discriminator(
                {"inline": "InlineSkillParam", "skill_reference": "SkillReferenceParam"},
                "UnknownSkills",
            )
        ),
    ],
)


class ContainerAutoParam(SDKModel):
    type: Literal["container_auto"]
    """
    Automatically creates a container for this request
    """
    file_ids: Annotated[list[str] | None, Field(max_length=50)] = None
    """
    An optional list of uploaded files to make available to your code.
    """
    memory_limit: ContainerMemoryLimit | None = None
    network_policy: Annotated[
        ContainerNetworkPolicyDisabledParam | ContainerNetworkPolicyAllowlistParam | None,
        Field(discriminator="type"),
    ] = None
    """
    Network access policy for the container.
    """
    skills: Annotated[list[Skills] | None, Field(max_length=200)] = None
    """
    An optional list of skills referenced by id or inline data.
    """


class CreateModelResponseProperties(ModelResponseProperties):
    prompt_cache_options: PromptCacheOptionsParam | None = None
    top_logprobs: TopLogprobs | TopLogprobs1 | None = None
    """
    An integer between 0 and 20 specifying the maximum number of most likely
    tokens to return at each token position, each with an associated log
    probability. In some cases, the number of returned tokens may be fewer than
    requested.

    """


class UnknownFunctionAndCustomToolCallOutput(UnknownModel):
    """A `FunctionAndCustomToolCallOutput` whose `type` this SDK version does not know; keeps every field."""


FunctionAndCustomToolCallOutput = TypeAliasType(
    "FunctionAndCustomToolCallOutput",
    Annotated[
        Annotated[InputTextContent, Tag("InputTextContent")]
        | Annotated[InputImageContent, Tag("InputImageContent")]
        | Annotated[InputFileContent, Tag("InputFileContent")]
        | Annotated[
            UnknownFunctionAndCustomToolCallOutput, Tag("UnknownFunctionAndCustomToolCallOutput")
        ],
        Discriminator(
            type_discriminator(
                {
                    "input_file": "InputFileContent",
                    "input_image": "InputImageContent",
                    "input_text": "InputTextContent",
                },
                "UnknownFunctionAndCustomToolCallOutput",
            )
        ),
    ],
)


class UnknownOutput2(UnknownModel):
    """A `Output2` whose `type` this SDK version does not know; keeps every field."""


Output2 = TypeAliasType(
    "Output2",
    Annotated[
        Annotated[InputTextContentParam, Tag("InputTextContentParam")]
        | Annotated[InputImageContentParamAutoParam, Tag("InputImageContentParamAutoParam")]
        | Annotated[InputFileContentParam, Tag("InputFileContentParam")]
        | Annotated[UnknownOutput2, Tag("UnknownOutput2")],
        Discriminator(
            type_discriminator(
                {
                    "input_file": "InputFileContentParam",
                    "input_image": "InputImageContentParamAutoParam",
                    "input_text": "InputTextContentParam",
                },
                "UnknownOutput2",
            )
        ),
    ],
)
"""
A piece of message content, such as text, an image, or a file.
"""


class FunctionCallOutputItemParam(SDKModel):
    """
    The output of a function tool call.
    """

    id: str | None = None
    call_id: CallId | None = None
    type: Literal["function_call_output"]
    """
    The type of the function tool call output. Always `function_call_output`.
    """
    output: Output1 | list[Output2]
    """
    Text, image, or file output of the function tool call.
    """
    name: Name | None = None
    namespace: Namespace | None = None
    caller: ToolCallCallerParam | None = None
    status: FunctionCallItemStatus | None = None


class FunctionShellCallItemParam(SDKModel):
    """
    A tool representing a request to execute one or more shell commands.
    """

    id: str | None = None
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The unique ID of the shell tool call generated by the model.
    """
    caller: ToolCallCallerParam | None = None
    type: Literal["shell_call"]
    """
    The type of the item. Always `shell_call`.
    """
    action: FunctionShellActionParam
    """
    The shell commands and limits that describe how to run the tool call.
    """
    status: FunctionShellCallItemStatus | None = None
    environment: LocalEnvironmentParam | ContainerReferenceParam | None = None


class FunctionShellCallOutput(SDKModel):
    """
    The output of a shell tool call that was emitted.
    """

    type: Literal["shell_call_output"]
    """
    The type of the shell call output. Always `shell_call_output`.
    """
    id: str
    """
    The unique ID of the shell call output. Populated when this item is returned via API.
    """
    call_id: str
    """
    The unique ID of the shell tool call generated by the model.
    """
    caller: ToolCallCaller | None = None
    status: FunctionShellCallOutputStatusEnum
    """
    The status of the shell call output. One of `in_progress`, `completed`, or `incomplete`.
    """
    output: list[FunctionShellCallOutputContent]
    """
    An array of shell call output contents
    """
    max_output_length: int | None
    created_by: str | None = None
    """
    The identifier of the actor that created the item.
    """


class FunctionShellCallOutputContentParam(SDKModel):
    """
    Captured stdout and stderr for a portion of a shell tool call output.
    """

    stdout: Annotated[str, Field(max_length=10485760)]
    """
    Captured stdout output for the shell call.
    """
    stderr: Annotated[str, Field(max_length=10485760)]
    """
    Captured stderr output for the shell call.
    """
    outcome: FunctionShellCallOutputOutcomeParam
    """
    The exit or timeout outcome associated with this shell call.
    """


class FunctionShellCallOutputItemParam(SDKModel):
    """
    The streamed output items emitted by a shell tool call.
    """

    id: str | None = None
    call_id: Annotated[str, Field(max_length=64, min_length=1)]
    """
    The unique ID of the shell tool call generated by the model.
    """
    caller: ToolCallCallerParam | None = None
    type: Literal["shell_call_output"]
    """
    The type of the item. Always `shell_call_output`.
    """
    output: list[FunctionShellCallOutputContentParam]
    """
    Captured chunks of stdout and stderr output, along with their associated outcomes.
    """
    status: FunctionShellCallItemStatus | None = None
    max_output_length: int | None = None


class FunctionShellToolParam(SDKModel):
    """
    A tool that allows the model to execute shell commands.
    """

    type: Literal["shell"]
    """
    The type of the shell tool. Always `shell`.
    """
    environment: ContainerAutoParam | LocalEnvironmentParam | ContainerReferenceParam | None = None
    allowed_callers: AllowedCallers | None = None


class FunctionToolCallOutput(SDKModel):
    """
    The output of a function tool call.

    """

    id: str | None = None
    """
    The unique ID of the function tool call output. Populated when this item
    is returned via API.

    """
    type: Literal["function_call_output"]
    """
    The type of the function tool call output. Always `function_call_output`.

    """
    call_id: str | None = None
    """
    The unique ID of the function tool call generated by the model.

    """
    name: str | None = None
    """
    The name of the tool that produced the output.

    """
    namespace: str | None = None
    """
    The namespace of the tool that produced the output.

    """
    caller: ToolCallCallerParam | None = None
    output: str | list[FunctionAndCustomToolCallOutput]
    """
    The output from the function call generated by your code.
    Can be a string or an list of output content.

    """
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """


class FunctionToolCallOutputResource(FunctionToolCallOutput):
    id: str
    """
    The unique ID of the function call tool output.

    """
    status: FunctionCallOutputStatusEnum
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.

    """
    type: Literal["function_call_output"]


class UnknownInputContent(UnknownModel):
    """A `InputContent` whose `type` this SDK version does not know; keeps every field."""


InputContent = TypeAliasType(
    "InputContent",
    Annotated[
        Annotated[InputTextContent, Tag("InputTextContent")]
        | Annotated[InputImageContent, Tag("InputImageContent")]
        | Annotated[InputFileContent, Tag("InputFileContent")]
        | Annotated[UnknownInputContent, Tag("UnknownInputContent")],
        Discriminator(
            type_discriminator(
                {
                    "input_file": "InputFileContent",
                    "input_image": "InputImageContent",
                    "input_text": "InputTextContent",
                },
                "UnknownInputContent",
            )
        ),
    ],
)


InputMessageContentList = TypeAliasType(
    "InputMessageContentList", Annotated[list[InputContent], Field(title="Input item content list")]
)
"""
A list of one or many input items to the model, containing different content 
types.

"""


class MCPToolCall(SDKModel):
    """
    An invocation of a tool on an MCP server.

    """

    type: Literal["mcp_call"]
    """
    The type of the item. Always `mcp_call`.

    """
    id: str
    """
    The unique ID of the tool call.

    """
    server_label: str
    """
    The label of the MCP server running the tool.

    """
    name: str
    """
    The name of the tool that was run.

    """
    arguments: str
    """
    A JSON string of the arguments passed to the tool.

    """
    output: str | None = None
    error: MCPToolCallError | None = None
    """
    The error from the tool call, if any.
    """
    status: MCPToolCallStatus | None = None
    """
    The status of the tool call. One of `in_progress`, `completed`, `incomplete`, `calling`, or `failed`.

    """
    approval_request_id: str | None = None


class ModerationParam(SDKModel):
    """
    Configuration for running moderation on the input and output of this response.
    """

    model: str
    """
    The moderation model to use for moderated completions, e.g. 'omni-moderation-latest'.
    """
    policy: ModerationPolicyParam | None = None


class UnknownOutputContent(UnknownModel):
    """A `OutputContent` whose `type` this SDK version does not know; keeps every field."""


OutputContent = TypeAliasType(
    "OutputContent",
    Annotated[
        Annotated[OutputTextContent, Tag("OutputTextContent")]
        | Annotated[RefusalContent, Tag("RefusalContent")]
        | Annotated[ReasoningTextContent, Tag("ReasoningTextContent")]
        | Annotated[UnknownOutputContent, Tag("UnknownOutputContent")],
        Discriminator(
            type_discriminator(
                {
                    "output_text": "OutputTextContent",
                    "reasoning_text": "ReasoningTextContent",
                    "refusal": "RefusalContent",
                },
                "UnknownOutputContent",
            )
        ),
    ],
)


class UnknownOutputMessageContent(UnknownModel):
    """A `OutputMessageContent` whose `type` this SDK version does not know; keeps every field."""


OutputMessageContent = TypeAliasType(
    "OutputMessageContent",
    Annotated[
        Annotated[OutputTextContent, Tag("OutputTextContent")]
        | Annotated[RefusalContent, Tag("RefusalContent")]
        | Annotated[UnknownOutputMessageContent, Tag("UnknownOutputMessageContent")],
        Discriminator(
            type_discriminator(
                {"output_text": "OutputTextContent", "refusal": "RefusalContent"},
                "UnknownOutputMessageContent",
            )
        ),
    ],
)


class Prompt1(SDKModel):
    """
    Reference to a prompt template and its variables.
    [Learn more](/docs/guides/text?api-mode=responses#reusable-prompts).

    """

    id: str
    """
    The unique identifier of the prompt template to use.
    """
    version: str | None = None
    variables: ResponsePromptVariables | None = None


Prompt = TypeAliasType("Prompt", Prompt1 | None)


class ResponseContentPartAddedEvent(SDKModel):
    """
    Emitted when a new content part is added.
    """

    type: Literal["response.content_part.added"]
    """
    The type of the event. Always `response.content_part.added`.

    """
    item_id: str
    """
    The ID of the output item that the content part was added to.

    """
    output_index: int
    """
    The index of the output item that the content part was added to.

    """
    content_index: int
    """
    The index of the content part that was added.

    """
    part: OutputContent
    """
    The content part that was added.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseContentPartDoneEvent(SDKModel):
    """
    Emitted when a content part is done.
    """

    type: Literal["response.content_part.done"]
    """
    The type of the event. Always `response.content_part.done`.

    """
    item_id: str
    """
    The ID of the output item that the content part was added to.

    """
    output_index: int
    """
    The index of the output item that the content part was added to.

    """
    content_index: int
    """
    The index of the content part that is done.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    part: OutputContent
    """
    The content part that is done.

    """


class ResponseTextParam(SDKModel):
    """
    Configuration options for a text response from the model. Can be plain
    text or structured JSON data. Learn more:
    - [Text inputs and outputs](/docs/guides/text)
    - [Structured Outputs](/docs/guides/structured-outputs)

    """

    format: TextResponseFormatConfiguration | None = None
    verbosity: Verbosity | None = None


class CustomToolCallOutput(SDKModel):
    """
    The output of a custom tool call from your code, being sent back to the model.

    """

    type: Literal["custom_tool_call_output"]
    """
    The type of the custom tool call output. Always `custom_tool_call_output`.

    """
    id: str | None = None
    """
    The unique ID of the custom tool call output in the OpenAI platform.

    """
    call_id: str
    """
    The call ID, used to map this custom tool call output to a custom tool call.

    """
    caller: ToolCallCallerParam | None = None
    output: str | list[FunctionAndCustomToolCallOutput]
    """
    The output from the custom tool call generated by your code.
    Can be a string or an list of output content.

    """


class CustomToolCallOutputResource(CustomToolCallOutput):
    id: str
    """
    The unique ID of the custom tool call output item.

    """
    status: FunctionCallOutputStatusEnum
    """
    The status of the item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.

    """
    type: Literal["custom_tool_call_output"]


class EasyInputMessage(SDKModel):
    """
    A message input to the model with a role indicating instruction following
    hierarchy. Instructions given with the `developer` or `system` role take
    precedence over instructions given with the `user` role. Messages with the
    `assistant` role are presumed to have been generated by the model in previous
    interactions.

    """

    role: Literal["user", "assistant", "system", "developer"]
    """
    The role of the message input. One of `user`, `assistant`, `system`, or
    `developer`.

    """
    content: str | InputMessageContentList
    """
    Text, image, or audio input to the model, used to generate a response.
    Can also contain previous assistant responses.

    """
    phase: MessagePhase | None = None
    type: Literal["message"] | None = None
    """
    The type of the message input. Always `message`.

    """


class InputMessage(SDKModel):
    """
    A message input to the model with a role indicating instruction following
    hierarchy. Instructions given with the `developer` or `system` role take
    precedence over instructions given with the `user` role.

    """

    type: Literal["message"] | None = None
    """
    The type of the message input. Always set to `message`.

    """
    role: Literal["user", "system", "developer"]
    """
    The role of the message input. One of `user`, `system`, or `developer`.

    """
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of item. One of `in_progress`, `completed`, or
    `incomplete`. Populated when items are returned via API.

    """
    content: InputMessageContentList


class OutputMessage(SDKModel):
    """
    An output message from the model.

    """

    id: str | None = None
    """
    The unique ID of the output message.

    """
    type: Literal["message"]
    """
    The type of the output message. Always `message`.

    """
    role: Literal["assistant"]
    """
    The role of the output message. Always `assistant`.

    """
    content: list[OutputMessageContent]
    """
    The content of the output message.

    """
    phase: MessagePhase | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    """
    The status of the message input. One of `in_progress`, `completed`, or
    `incomplete`. Populated when input items are returned via API.

    """


class AdditionalTools(SDKModel):
    type: Literal["additional_tools"]
    """
    The type of the item. Always `additional_tools`.
    """
    id: str
    """
    The unique ID of the additional tools item.
    """
    role: MessageRole
    """
    The role that provided the additional tools.
    """
    tools: list[Tool]
    """
    The additional tool definitions made available at this item.
    """


class AdditionalToolsItemParam(SDKModel):
    id: str | None = None
    type: Literal["additional_tools"]
    """
    The item type. Always `additional_tools`.
    """
    role: Literal["developer"]
    """
    The role that provided the additional tools. Only `developer` is supported.
    """
    tools: list[Tool]
    """
    A list of additional tools made available at this item.
    """


class UnknownFilters(UnknownModel):
    """A `Filters` whose `type` this SDK version does not know; keeps every field."""


Filters = TypeAliasType(
    "Filters",
    Annotated[
        Annotated[ComparisonFilter, Tag("ComparisonFilter")]
        | Annotated["CompoundFilter", Tag("CompoundFilter")]
        | Annotated[UnknownFilters, Tag("UnknownFilters")],
        Discriminator(
            type_discriminator(
                {
                    "and": "CompoundFilter",
                    "eq": "ComparisonFilter",
                    "gt": "ComparisonFilter",
                    "gte": "ComparisonFilter",
                    "in": "ComparisonFilter",
                    "lt": "ComparisonFilter",
                    "lte": "ComparisonFilter",
                    "ne": "ComparisonFilter",
                    "nin": "ComparisonFilter",
                    "or": "CompoundFilter",
                },
                "UnknownFilters",
            )
        ),
    ],
)


class CompoundFilter(SDKModel):
    """
    Combine multiple filters using `and` or `or`.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["and", "or"]
    """
    Type of operation: `and` or `or`.
    """
    filters: list[Filters]
    """
    Array of filters to combine. Items can be `ComparisonFilter` or `CompoundFilter`.
    """


class FileSearchTool(SDKModel):
    """
    A tool that searches for relevant content from uploaded files. Learn more about the [file search tool](https://platform.openai.com/docs/guides/tools-file-search).
    """

    type: Literal["file_search"]
    """
    The type of the file search tool. Always `file_search`.
    """
    vector_store_ids: list[str]
    """
    The IDs of the vector stores to search.
    """
    max_num_results: int | None = None
    """
    The maximum number of results to return. This number should be between 1 and 50 inclusive.
    """
    ranking_options: RankingOptions | None = None
    """
    Ranking options for search.
    """
    filters: FiltersModel | None = None


FiltersModel = TypeAliasType("FiltersModel", ComparisonFilter | CompoundFilter)


InputItem = TypeAliasType(
    "InputItem",
    Union[
        EasyInputMessage,
        InputMessage,
        OutputMessage,
        FileSearchToolCall,
        ComputerToolCall,
        ComputerCallOutputItemParam,
        WebSearchToolCall,
        FunctionToolCall,
        FunctionCallOutputItemParam,
        ToolSearchCallItemParam,
        "ToolSearchOutputItemParam",
        AdditionalToolsItemParam,
        ReasoningItem,
        CompactionSummaryItemParam,
        ImageGenToolCall,
        CodeInterpreterToolCall,
        LocalShellToolCall,
        LocalShellToolCallOutput,
        FunctionShellCallItemParam,
        FunctionShellCallOutputItemParam,
        ApplyPatchToolCallItemParam,
        ApplyPatchToolCallOutputItemParam,
        MCPListTools,
        MCPApprovalRequest,
        MCPApprovalResponse,
        MCPToolCall,
        CustomToolCallOutput,
        CustomToolCall,
        CompactionTriggerItemParam,
        ItemReferenceParam,
        ProgramItemParam,
        ProgramOutputItemParam,
    ],
)


InputParam = TypeAliasType("InputParam", str | list[InputItem])
"""
Text, image, or file inputs to the model, used to generate a response.

Learn more:
- [Text inputs and outputs](/docs/guides/text)
- [Image inputs](/docs/guides/images)
- [File inputs](/docs/guides/pdf-files)
- [Conversation state](/docs/guides/conversation-state)
- [Function calling](/docs/guides/function-calling)

"""


Item = TypeAliasType(
    "Item",
    Union[
        InputMessage,
        OutputMessage,
        FileSearchToolCall,
        ComputerToolCall,
        ComputerCallOutputItemParam,
        WebSearchToolCall,
        FunctionToolCall,
        FunctionCallOutputItemParam,
        ToolSearchCallItemParam,
        "ToolSearchOutputItemParam",
        AdditionalToolsItemParam,
        ReasoningItem,
        CompactionSummaryItemParam,
        ImageGenToolCall,
        CodeInterpreterToolCall,
        LocalShellToolCall,
        LocalShellToolCallOutput,
        FunctionShellCallItemParam,
        FunctionShellCallOutputItemParam,
        ApplyPatchToolCallItemParam,
        ApplyPatchToolCallOutputItemParam,
        MCPListTools,
        MCPApprovalRequest,
        MCPApprovalResponse,
        MCPToolCall,
        CustomToolCallOutput,
        CustomToolCall,
    ],
)
"""
Content item used to generate a response.

"""


class UnknownOutputItem(UnknownModel):
    """A `OutputItem` whose `type` this SDK version does not know; keeps every field."""


OutputItem = TypeAliasType(
    "OutputItem",
    Annotated[
        Annotated[OutputMessage, Tag("OutputMessage")]
        | Annotated[FileSearchToolCall, Tag("FileSearchToolCall")]
        | Annotated[FunctionToolCall, Tag("FunctionToolCall")]
        | Annotated[FunctionToolCallOutputResource, Tag("FunctionToolCallOutputResource")]
        | Annotated[WebSearchToolCall, Tag("WebSearchToolCall")]
        | Annotated[ComputerToolCall, Tag("ComputerToolCall")]
        | Annotated[ComputerToolCallOutputResource, Tag("ComputerToolCallOutputResource")]
        | Annotated[ReasoningItem, Tag("ReasoningItem")]
        | Annotated[Program, Tag("Program")]
        | Annotated[ProgramOutput, Tag("ProgramOutput")]
        | Annotated[ToolSearchCall, Tag("ToolSearchCall")]
        | Annotated["ToolSearchOutput", Tag("ToolSearchOutput")]
        | Annotated[AdditionalTools, Tag("AdditionalTools")]
        | Annotated[CompactionBody, Tag("CompactionBody")]
        | Annotated[ImageGenToolCall, Tag("ImageGenToolCall")]
        | Annotated[CodeInterpreterToolCall, Tag("CodeInterpreterToolCall")]
        | Annotated[LocalShellToolCall, Tag("LocalShellToolCall")]
        | Annotated[LocalShellToolCallOutput, Tag("LocalShellToolCallOutput")]
        | Annotated[FunctionShellCall, Tag("FunctionShellCall")]
        | Annotated[FunctionShellCallOutput, Tag("FunctionShellCallOutput")]
        | Annotated[ApplyPatchToolCall, Tag("ApplyPatchToolCall")]
        | Annotated[ApplyPatchToolCallOutput, Tag("ApplyPatchToolCallOutput")]
        | Annotated[MCPToolCall, Tag("MCPToolCall")]
        | Annotated[MCPListTools, Tag("MCPListTools")]
        | Annotated[MCPApprovalRequest, Tag("MCPApprovalRequest")]
        | Annotated[MCPApprovalResponseResource, Tag("MCPApprovalResponseResource")]
        | Annotated[CustomToolCall, Tag("CustomToolCall")]
        | Annotated[CustomToolCallOutputResource, Tag("CustomToolCallOutputResource")]
        | Annotated[UnknownOutputItem, Tag("UnknownOutputItem")],
        Discriminator(
            type_discriminator(
                {
                    "additional_tools": "AdditionalTools",
                    "apply_patch_call": "ApplyPatchToolCall",
                    "apply_patch_call_output": "ApplyPatchToolCallOutput",
                    "code_interpreter_call": "CodeInterpreterToolCall",
                    "compaction": "CompactionBody",
                    "computer_call": "ComputerToolCall",
                    "computer_call_output": "ComputerToolCallOutputResource",
                    "custom_tool_call": "CustomToolCall",
                    "custom_tool_call_output": "CustomToolCallOutputResource",
                    "file_search_call": "FileSearchToolCall",
                    "function_call": "FunctionToolCall",
                    "function_call_output": "FunctionToolCallOutputResource",
                    "image_generation_call": "ImageGenToolCall",
                    "local_shell_call": "LocalShellToolCall",
                    "local_shell_call_output": "LocalShellToolCallOutput",
                    "mcp_approval_request": "MCPApprovalRequest",
                    "mcp_approval_response": "MCPApprovalResponseResource",
                    "mcp_call": "MCPToolCall",
                    "mcp_list_tools": "MCPListTools",
                    "message": "OutputMessage",
                    "program": "Program",
                    "program_output": "ProgramOutput",
                    "reasoning": "ReasoningItem",
                    "shell_call": "FunctionShellCall",
                    "shell_call_output": "FunctionShellCallOutput",
                    "tool_search_call": "ToolSearchCall",
                    "tool_search_output": "ToolSearchOutput",
                    "web_search_call": "WebSearchToolCall",
                },
                "UnknownOutputItem",
            )
        ),
    ],
)


class ResponseCompletedEvent(SDKModel):
    """
    Emitted when the model response is complete.
    """

    type: Literal["response.completed"]
    """
    The type of the event. Always `response.completed`.

    """
    response: Response
    """
    Properties of the completed response.

    """
    sequence_number: int
    """
    The sequence number for this event.
    """


class ResponseCreatedEvent(SDKModel):
    """
    An event that is emitted when a response is created.

    """

    type: Literal["response.created"]
    """
    The type of the event. Always `response.created`.

    """
    response: Response
    """
    The response that was created.

    """
    sequence_number: int
    """
    The sequence number for this event.
    """


class ResponseFailedEvent(SDKModel):
    """
    An event that is emitted when a response fails.

    """

    type: Literal["response.failed"]
    """
    The type of the event. Always `response.failed`.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """
    response: Response
    """
    The response that failed.

    """


class ResponseInProgressEvent(SDKModel):
    """
    Emitted when the response is in progress.
    """

    type: Literal["response.in_progress"]
    """
    The type of the event. Always `response.in_progress`.

    """
    response: Response
    """
    The response that is in progress.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseIncompleteEvent(SDKModel):
    """
    An event that is emitted when a response finishes as incomplete.

    """

    type: Literal["response.incomplete"]
    """
    The type of the event. Always `response.incomplete`.

    """
    response: Response
    """
    The response that was incomplete.

    """
    sequence_number: int
    """
    The sequence number of this event.
    """


class ResponseOutputItemAddedEvent(SDKModel):
    """
    Emitted when a new output item is added.
    """

    type: Literal["response.output_item.added"]
    """
    The type of the event. Always `response.output_item.added`.

    """
    output_index: int
    """
    The index of the output item that was added.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """
    item: OutputItem
    """
    The output item that was added. For reasoning items, `encrypted_content`
    may be incomplete while the item is in progress. Use the reasoning item
    from the corresponding `response.output_item.done` event when passing it
    as input to a subsequent request.

    """


class ResponseOutputItemDoneEvent(SDKModel):
    """
    Emitted when an output item is marked done.
    """

    type: Literal["response.output_item.done"]
    """
    The type of the event. Always `response.output_item.done`.

    """
    output_index: int
    """
    The index of the output item that was marked done.

    """
    sequence_number: int
    """
    The sequence number of this event.

    """
    item: OutputItem
    """
    The output item that was marked done.

    """


class ResponseProperties(SDKModel):
    previous_response_id: str | None = None
    model: ModelIdsResponses | None = None
    """
    Model ID used to generate the response, like `gpt-4o` or `o3`. OpenAI
    offers a wide range of models with different capabilities, performance
    characteristics, and price points. Refer to the [model guide](/docs/models)
    to browse and compare available models.

    """
    background: bool | None = None
    max_tool_calls: int | None = None
    text: ResponseTextParam | None = None
    tools: ToolsArray | None = None
    tool_choice: ToolChoiceParam | None = None
    prompt: Prompt | None = None


class ResponseQueuedEvent(SDKModel):
    """
    Emitted when a response is queued and waiting to be processed.

    """

    type: Literal["response.queued"]
    """
    The type of the event. Always 'response.queued'.
    """
    response: Response
    """
    The full response object that is queued.
    """
    sequence_number: int
    """
    The sequence number for this event.
    """


class UnknownResponseStreamEvent(UnknownModel):
    """A `ResponseStreamEvent` whose `type` this SDK version does not know; keeps every field."""


ResponseStreamEvent = TypeAliasType(
    "ResponseStreamEvent",
    Annotated[
        Annotated[ResponseAudioDeltaEvent, Tag("ResponseAudioDeltaEvent")]
        | Annotated[ResponseAudioDoneEvent, Tag("ResponseAudioDoneEvent")]
        | Annotated[ResponseAudioTranscriptDeltaEvent, Tag("ResponseAudioTranscriptDeltaEvent")]
        | Annotated[ResponseAudioTranscriptDoneEvent, Tag("ResponseAudioTranscriptDoneEvent")]
        | Annotated[
            ResponseCodeInterpreterCallCodeDeltaEvent,
            Tag("ResponseCodeInterpreterCallCodeDeltaEvent"),
        ]
        | Annotated[
            ResponseCodeInterpreterCallCodeDoneEvent,
            Tag("ResponseCodeInterpreterCallCodeDoneEvent"),
        ]
        | Annotated[
            ResponseCodeInterpreterCallCompletedEvent,
            Tag("ResponseCodeInterpreterCallCompletedEvent"),
        ]
        | Annotated[
            ResponseCodeInterpreterCallInProgressEvent,
            Tag("ResponseCodeInterpreterCallInProgressEvent"),
        ]
        | Annotated[
            ResponseCodeInterpreterCallInterpretingEvent,
            Tag("ResponseCodeInterpreterCallInterpretingEvent"),
        ]
        | Annotated[ResponseCompletedEvent, Tag("ResponseCompletedEvent")]
        | Annotated[ResponseContentPartAddedEvent, Tag("ResponseContentPartAddedEvent")]
        | Annotated[ResponseContentPartDoneEvent, Tag("ResponseContentPartDoneEvent")]
        | Annotated[ResponseCreatedEvent, Tag("ResponseCreatedEvent")]
        | Annotated[ResponseErrorEvent, Tag("ResponseErrorEvent")]
        | Annotated[
            ResponseFileSearchCallCompletedEvent, Tag("ResponseFileSearchCallCompletedEvent")
        ]
        | Annotated[
            ResponseFileSearchCallInProgressEvent, Tag("ResponseFileSearchCallInProgressEvent")
        ]
        | Annotated[
            ResponseFileSearchCallSearchingEvent, Tag("ResponseFileSearchCallSearchingEvent")
        ]
        | Annotated[
            ResponseFunctionCallArgumentsDeltaEvent, Tag("ResponseFunctionCallArgumentsDeltaEvent")
        ]
        | Annotated[
            ResponseFunctionCallArgumentsDoneEvent, Tag("ResponseFunctionCallArgumentsDoneEvent")
        ]
        | Annotated[
            ResponseShellCallCommandAddedStreamingEvent,
            Tag("ResponseShellCallCommandAddedStreamingEvent"),
        ]
        | Annotated[
            ResponseShellCallCommandDeltaStreamingEvent,
            Tag("ResponseShellCallCommandDeltaStreamingEvent"),
        ]
        | Annotated[
            ResponseShellCallCommandDoneStreamingEvent,
            Tag("ResponseShellCallCommandDoneStreamingEvent"),
        ]
        | Annotated[
            ResponseShellCallOutputContentDeltaStreamingEvent,
            Tag("ResponseShellCallOutputContentDeltaStreamingEvent"),
        ]
        | Annotated[
            ResponseShellCallOutputContentDoneStreamingEvent,
            Tag("ResponseShellCallOutputContentDoneStreamingEvent"),
        ]
        | Annotated[ResponseInProgressEvent, Tag("ResponseInProgressEvent")]
        | Annotated[ResponseFailedEvent, Tag("ResponseFailedEvent")]
        | Annotated[ResponseIncompleteEvent, Tag("ResponseIncompleteEvent")]
        | Annotated[ResponseOutputItemAddedEvent, Tag("ResponseOutputItemAddedEvent")]
        | Annotated[ResponseOutputItemDoneEvent, Tag("ResponseOutputItemDoneEvent")]
        | Annotated[
            ResponseReasoningSummaryPartAddedEvent, Tag("ResponseReasoningSummaryPartAddedEvent")
        ]
        | Annotated[
            ResponseReasoningSummaryPartDoneEvent, Tag("ResponseReasoningSummaryPartDoneEvent")
        ]
        | Annotated[
            ResponseReasoningSummaryTextDeltaEvent, Tag("ResponseReasoningSummaryTextDeltaEvent")
        ]
        | Annotated[
            ResponseReasoningSummaryTextDoneEvent, Tag("ResponseReasoningSummaryTextDoneEvent")
        ]
        | Annotated[ResponseReasoningTextDeltaEvent, Tag("ResponseReasoningTextDeltaEvent")]
        | Annotated[ResponseReasoningTextDoneEvent, Tag("ResponseReasoningTextDoneEvent")]
        | Annotated[ResponseRefusalDeltaEvent, Tag("ResponseRefusalDeltaEvent")]
        | Annotated[ResponseRefusalDoneEvent, Tag("ResponseRefusalDoneEvent")]
        | Annotated[ResponseTextDeltaEvent, Tag("ResponseTextDeltaEvent")]
        | Annotated[ResponseTextDoneEvent, Tag("ResponseTextDoneEvent")]
        | Annotated[ResponseWebSearchCallCompletedEvent, Tag("ResponseWebSearchCallCompletedEvent")]
        | Annotated[
            ResponseWebSearchCallInProgressEvent, Tag("ResponseWebSearchCallInProgressEvent")
        ]
        | Annotated[ResponseWebSearchCallSearchingEvent, Tag("ResponseWebSearchCallSearchingEvent")]
        | Annotated[ResponseImageGenCallCompletedEvent, Tag("ResponseImageGenCallCompletedEvent")]
        | Annotated[ResponseImageGenCallGeneratingEvent, Tag("ResponseImageGenCallGeneratingEvent")]
        | Annotated[ResponseImageGenCallInProgressEvent, Tag("ResponseImageGenCallInProgressEvent")]
        | Annotated[
            ResponseImageGenCallPartialImageEvent, Tag("ResponseImageGenCallPartialImageEvent")
        ]
        | Annotated[ResponseMCPCallArgumentsDeltaEvent, Tag("ResponseMCPCallArgumentsDeltaEvent")]
        | Annotated[ResponseMCPCallArgumentsDoneEvent, Tag("ResponseMCPCallArgumentsDoneEvent")]
        | Annotated[ResponseMCPCallCompletedEvent, Tag("ResponseMCPCallCompletedEvent")]
        | Annotated[ResponseMCPCallFailedEvent, Tag("ResponseMCPCallFailedEvent")]
        | Annotated[ResponseMCPCallInProgressEvent, Tag("ResponseMCPCallInProgressEvent")]
        | Annotated[ResponseMCPListToolsCompletedEvent, Tag("ResponseMCPListToolsCompletedEvent")]
        | Annotated[ResponseMCPListToolsFailedEvent, Tag("ResponseMCPListToolsFailedEvent")]
        | Annotated[ResponseMCPListToolsInProgressEvent, Tag("ResponseMCPListToolsInProgressEvent")]
        | Annotated[
            ResponseOutputTextAnnotationAddedEvent, Tag("ResponseOutputTextAnnotationAddedEvent")
        ]
        | Annotated[ResponseQueuedEvent, Tag("ResponseQueuedEvent")]
        | Annotated[
            ResponseCustomToolCallInputDeltaEvent, Tag("ResponseCustomToolCallInputDeltaEvent")
        ]
        | Annotated[
            ResponseCustomToolCallInputDoneEvent, Tag("ResponseCustomToolCallInputDoneEvent")
        ]
        | Annotated[UnknownResponseStreamEvent, Tag("UnknownResponseStreamEvent")],
        Discriminator(
            type_discriminator(
                {
                    "error": "ResponseErrorEvent",
                    "response.audio.delta": "ResponseAudioDeltaEvent",
                    "response.audio.done": "ResponseAudioDoneEvent",
                    "response.audio.transcript.delta": "ResponseAudioTranscriptDeltaEvent",
                    "response.audio.transcript.done": "ResponseAudioTranscriptDoneEvent",
                    "response.code_interpreter_call.completed": "ResponseCodeInterpreterCallCompletedEvent",
                    "response.code_interpreter_call.in_progress": "ResponseCodeInterpreterCallInProgressEvent",
                    "response.code_interpreter_call.interpreting": "ResponseCodeInterpreterCallInterpretingEvent",
                    "response.code_interpreter_call_code.delta": "ResponseCodeInterpreterCallCodeDeltaEvent",
                    "response.code_interpreter_call_code.done": "ResponseCodeInterpreterCallCodeDoneEvent",
                    "response.completed": "ResponseCompletedEvent",
                    "response.content_part.added": "ResponseContentPartAddedEvent",
                    "response.content_part.done": "ResponseContentPartDoneEvent",
                    "response.created": "ResponseCreatedEvent",
                    "response.custom_tool_call_input.delta": "ResponseCustomToolCallInputDeltaEvent",
                    "response.custom_tool_call_input.done": "ResponseCustomToolCallInputDoneEvent",
                    "response.failed": "ResponseFailedEvent",
                    "response.file_search_call.completed": "ResponseFileSearchCallCompletedEvent",
                    "response.file_search_call.in_progress": "ResponseFileSearchCallInProgressEvent",
                    "response.file_search_call.searching": "ResponseFileSearchCallSearchingEvent",
                    "response.function_call_arguments.delta": "ResponseFunctionCallArgumentsDeltaEvent",
                    "response.function_call_arguments.done": "ResponseFunctionCallArgumentsDoneEvent",
                    "response.image_generation_call.completed": "ResponseImageGenCallCompletedEvent",
                    "response.image_generation_call.generating": "ResponseImageGenCallGeneratingEvent",
                    "response.image_generation_call.in_progress": "ResponseImageGenCallInProgressEvent",
                    "response.image_generation_call.partial_image": "ResponseImageGenCallPartialImageEvent",
                    "response.in_progress": "ResponseInProgressEvent",
                    "response.incomplete": "ResponseIncompleteEvent",
                    "response.mcp_call.completed": "ResponseMCPCallCompletedEvent",
                    "response.mcp_call.failed": "ResponseMCPCallFailedEvent",
                    "response.mcp_call.in_progress": "ResponseMCPCallInProgressEvent",
                    "response.mcp_call_arguments.delta": "ResponseMCPCallArgumentsDeltaEvent",
                    "response.mcp_call_arguments.done": "ResponseMCPCallArgumentsDoneEvent",
                    "response.mcp_list_tools.completed": "ResponseMCPListToolsCompletedEvent",
                    "response.mcp_list_tools.failed": "ResponseMCPListToolsFailedEvent",
                    "response.mcp_list_tools.in_progress": "ResponseMCPListToolsInProgressEvent",
                    "response.output_item.added": "ResponseOutputItemAddedEvent",
                    "response.output_item.done": "ResponseOutputItemDoneEvent",
                    "response.output_text.annotation.added": "ResponseOutputTextAnnotationAddedEvent",
                    "response.output_text.delta": "ResponseTextDeltaEvent",
                    "response.output_text.done": "ResponseTextDoneEvent",
                    "response.queued": "ResponseQueuedEvent",
                    "response.reasoning_summary_part.added": "ResponseReasoningSummaryPartAddedEvent",
                    "response.reasoning_summary_part.done": "ResponseReasoningSummaryPartDoneEvent",
                    "response.reasoning_summary_text.delta": "ResponseReasoningSummaryTextDeltaEvent",
                    "response.reasoning_summary_text.done": "ResponseReasoningSummaryTextDoneEvent",
                    "response.reasoning_text.delta": "ResponseReasoningTextDeltaEvent",
                    "response.reasoning_text.done": "ResponseReasoningTextDoneEvent",
                    "response.refusal.delta": "ResponseRefusalDeltaEvent",
                    "response.refusal.done": "ResponseRefusalDoneEvent",
                    "response.shell_call_command.added": "ResponseShellCallCommandAddedStreamingEvent",
                    "response.shell_call_command.delta": "ResponseShellCallCommandDeltaStreamingEvent",
                    "response.shell_call_command.done": "ResponseShellCallCommandDoneStreamingEvent",
                    "response.shell_call_output_content.delta": "ResponseShellCallOutputContentDeltaStreamingEvent",
                    "response.shell_call_output_content.done": "ResponseShellCallOutputContentDoneStreamingEvent",
                    "response.web_search_call.completed": "ResponseWebSearchCallCompletedEvent",
                    "response.web_search_call.in_progress": "ResponseWebSearchCallInProgressEvent",
                    "response.web_search_call.searching": "ResponseWebSearchCallSearchingEvent",
                },
                "UnknownResponseStreamEvent",
            )
        ),
    ],
)
"""
Event emitted while a response is streamed.
"""


class UnknownTool(UnknownModel):
    """A `Tool` whose `type` this SDK version does not know; keeps every field."""


Tool = TypeAliasType(
    "Tool",
    Annotated[
        Annotated[FunctionTool, Tag("FunctionTool")]
        | Annotated[FileSearchTool, Tag("FileSearchTool")]
        | Annotated[ComputerTool, Tag("ComputerTool")]
        | Annotated[ComputerUsePreviewTool, Tag("ComputerUsePreviewTool")]
        | Annotated[WebSearchTool, Tag("WebSearchTool")]
        | Annotated[MCPTool, Tag("MCPTool")]
        | Annotated[CodeInterpreterTool, Tag("CodeInterpreterTool")]
        | Annotated[ProgrammaticToolCallingParam, Tag("ProgrammaticToolCallingParam")]
        | Annotated[ImageGenTool, Tag("ImageGenTool")]
        | Annotated[LocalShellToolParam, Tag("LocalShellToolParam")]
        | Annotated[FunctionShellToolParam, Tag("FunctionShellToolParam")]
        | Annotated[CustomToolParam, Tag("CustomToolParam")]
        | Annotated[NamespaceToolParam, Tag("NamespaceToolParam")]
        | Annotated[ToolSearchToolParam, Tag("ToolSearchToolParam")]
        | Annotated[WebSearchPreviewTool, Tag("WebSearchPreviewTool")]
        | Annotated[ApplyPatchToolParam, Tag("ApplyPatchToolParam")]
        | Annotated[UnknownTool, Tag("UnknownTool")],
        Discriminator(
            type_discriminator(
                {
                    "apply_patch": "ApplyPatchToolParam",
                    "code_interpreter": "CodeInterpreterTool",
                    "computer": "ComputerTool",
                    "computer_use_preview": "ComputerUsePreviewTool",
                    "custom": "CustomToolParam",
                    "file_search": "FileSearchTool",
                    "function": "FunctionTool",
                    "image_generation": "ImageGenTool",
                    "local_shell": "LocalShellToolParam",
                    "mcp": "MCPTool",
                    "namespace": "NamespaceToolParam",
                    "programmatic_tool_calling": "ProgrammaticToolCallingParam",
                    "shell": "FunctionShellToolParam",
                    "tool_search": "ToolSearchToolParam",
                    "web_search": "WebSearchTool",
                    "web_search_2025_08_26": "WebSearchTool",
                    "web_search_preview": "WebSearchPreviewTool",
                    "web_search_preview_2025_03_11": "WebSearchPreviewTool",
                },
                "UnknownTool",
            )
        ),
    ],
)
"""
A tool that can be used to generate a response.

"""


class ToolSearchOutput(SDKModel):
    type: Literal["tool_search_output"]
    """
    The type of the item. Always `tool_search_output`.
    """
    id: str
    """
    The unique ID of the tool search output item.
    """
    call_id: str | None
    execution: ToolSearchExecutionType
    """
    Whether tool search was executed by the server or by the client.
    """
    tools: list[Tool]
    """
    The loaded tool definitions returned by tool search.
    """
    status: FunctionCallOutputStatusEnum
    """
    The status of the tool search output item that was recorded.
    """
    created_by: str | None = None
    """
    The identifier of the actor that created the item.
    """


class ToolSearchOutputItemParam(SDKModel):
    id: str | None = None
    call_id: CallId1 | None = None
    type: Literal["tool_search_output"]
    """
    The item type. Always `tool_search_output`.
    """
    execution: ToolSearchExecutionType | None = None
    """
    Whether tool search was executed by the server or by the client.
    """
    tools: list[Tool]
    """
    The loaded tool definitions returned by the tool search output.
    """
    status: FunctionCallItemStatus | None = None


ToolsArray = TypeAliasType("ToolsArray", list[Tool])
"""
An array of tools the model may call while generating a response. You
can specify which tool to use by setting the `tool_choice` parameter.

We support the following categories of tools:
- **Built-in tools**: Tools that are provided by OpenAI that extend the
  model's capabilities, like [web search](/docs/guides/tools-web-search)
  or [file search](/docs/guides/tools-file-search). Learn more about
  [built-in tools](/docs/guides/tools).
- **MCP Tools**: Integrations with third-party systems via custom MCP servers
  or predefined connectors such as Google Drive and SharePoint. Learn more about
  [MCP Tools](/docs/guides/tools-connectors-mcp).
- **Function calls (custom tools)**: Functions that are defined by you,
  enabling the model to call your own code with strongly typed arguments
  and outputs. Learn more about
  [function calling](/docs/guides/function-calling). You can also use
  custom tools to call your own code.

"""


class CreateResponse(CreateModelResponseProperties, ResponseProperties):
    service_tier: ServiceTierResponses | None = None
    truncation: Annotated[Literal["auto", "disabled"] | None, Field(deprecated=True)] = None
    reasoning: Reasoning | None = None
    input: InputParam | None = None
    include: list[IncludeEnum] | None = None
    parallel_tool_calls: bool | None = None
    store: bool | None = None
    instructions: str | None = None
    moderation: ModerationParam | None = None
    stream: bool | None = None
    stream_options: ResponseStreamOptions | None = None
    conversation: ConversationParam | None = None
    context_management: ContextManagement | None = None
    max_output_tokens: MaxOutputTokens | None = None
    model: ModelIdsResponses
    """
    Model ID used to generate the response, like `gpt-4o` or `o3`. OpenAI
    offers a wide range of models with different capabilities, performance
    characteristics, and price points. Refer to the [model guide](/docs/models)
    to browse and compare available models.

    """


class Response(ResponseMixin, ModelResponseProperties, ResponseProperties):
    service_tier: ServiceTierResponses | None = None
    truncation: Literal["auto", "disabled"] | None = None
    id: str
    """
    Unique identifier for this Response.

    """
    object: Literal["response"] | None = None
    """
    The object type of this resource - always set to `response`.

    """
    status: (
        Literal["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"] | None
    ) = None
    """
    The status of the response generation. One of `completed`, `failed`,
    `in_progress`, `cancelled`, `queued`, or `incomplete`.

    """
    created_at: int | None = None
    """
    Unix timestamp (in seconds) of when this Response was created.

    """
    completed_at: int | None = None
    error: ResponseError | None = None
    incomplete_details: IncompleteDetails | None = None
    output: Annotated[list[OutputItem], Field(validate_default=True)] = []
    """
    An array of content items generated by the model.

    - The length and order of items in the `output` array is dependent
      on the model's response.
    - Rather than accessing the first item in the `output` array and
      assuming it's an `assistant` message with the content generated by
      the model, you might consider using the `output_text` property where
      supported in SDKs.

    """
    reasoning: Reasoning | None = None
    instructions: str | list[InputItem] | None = None
    usage: ResponseUsage | None = None
    prompt_cache_options: PromptCacheOptions | None = None
    moderation: Moderation | None = None
    parallel_tool_calls: bool = True
    """
    Whether to allow the model to run tool calls in parallel.

    """
    conversation: ResponseConversation | None = None
    max_output_tokens: int | None = None


ResponsesRequest = CreateResponse

__all__ = [
    "AdditionalTools",
    "AdditionalToolsItemParam",
    "AllowedCallers",
    "Annotation",
    "ApplyPatchCallOutputStatus",
    "ApplyPatchCallOutputStatusParam",
    "ApplyPatchCallStatus",
    "ApplyPatchCallStatusParam",
    "ApplyPatchCreateFileOperation",
    "ApplyPatchCreateFileOperationParam",
    "ApplyPatchDeleteFileOperation",
    "ApplyPatchDeleteFileOperationParam",
    "ApplyPatchOperationParam",
    "ApplyPatchToolCall",
    "ApplyPatchToolCallItemParam",
    "ApplyPatchToolCallOutput",
    "ApplyPatchToolCallOutputItemParam",
    "ApplyPatchToolParam",
    "ApplyPatchUpdateFileOperation",
    "ApplyPatchUpdateFileOperationParam",
    "ApproximateLocation",
    "AutoCodeInterpreterToolParam",
    "CallId",
    "CallId1",
    "CallableToolAllowedCaller",
    "ChatgptSdkModelsResponses",
    "ClickButtonType",
    "ClickParam",
    "CodeInterpreterOutputImage",
    "CodeInterpreterOutputLogs",
    "CodeInterpreterTool",
    "CodeInterpreterToolCall",
    "CompactThreshold",
    "CompactionBody",
    "CompactionSummaryItemParam",
    "CompactionTriggerItemParam",
    "ComparisonFilter",
    "CompoundFilter",
    "ComputerAction",
    "ComputerActionList",
    "ComputerCallOutputItemParam",
    "ComputerCallOutputStatus",
    "ComputerCallSafetyCheckParam",
    "ComputerEnvironment",
    "ComputerScreenshotImage",
    "ComputerTool",
    "ComputerToolCall",
    "ComputerToolCallOutput",
    "ComputerToolCallOutputResource",
    "ComputerUsePreviewTool",
    "ContainerAutoParam",
    "ContainerFileCitationBody",
    "ContainerMemoryLimit",
    "ContainerNetworkPolicyAllowlistParam",
    "ContainerNetworkPolicyDisabledParam",
    "ContainerNetworkPolicyDomainSecretParam",
    "ContainerReferenceParam",
    "ContainerReferenceResource",
    "ContextManagement",
    "ContextManagementParam",
    "ConversationParam",
    "ConversationParam2",
    "CoordParam",
    "CreateModelResponseProperties",
    "CreateResponse",
    "CustomGrammarFormatParam",
    "CustomTextFormatParam",
    "CustomToolCall",
    "CustomToolCallOutput",
    "CustomToolCallOutputResource",
    "CustomToolParam",
    "DetailEnum",
    "DirectToolCallCaller",
    "DirectToolCallCallerParam",
    "DoubleClickAction",
    "DragParam",
    "EasyInputMessage",
    "EmptyModelParam",
    "FileCitationBody",
    "FileData",
    "FileDetailEnum",
    "FileInputDetail",
    "FilePath",
    "FileSearchTool",
    "FileSearchToolCall",
    "Filters",
    "Filters1",
    "FiltersModel",
    "FunctionAndCustomToolCallOutput",
    "FunctionCallItemStatus",
    "FunctionCallOutputItemParam",
    "FunctionCallOutputStatusEnum",
    "FunctionCallStatus",
    "FunctionShellAction",
    "FunctionShellActionParam",
    "FunctionShellCall",
    "FunctionShellCallItemParam",
    "FunctionShellCallItemStatus",
    "FunctionShellCallOutput",
    "FunctionShellCallOutputContent",
    "FunctionShellCallOutputContentParam",
    "FunctionShellCallOutputExitOutcome",
    "FunctionShellCallOutputExitOutcomeParam",
    "FunctionShellCallOutputItemParam",
    "FunctionShellCallOutputOutcomeParam",
    "FunctionShellCallOutputStatusEnum",
    "FunctionShellCallOutputTimeoutOutcome",
    "FunctionShellCallOutputTimeoutOutcomeParam",
    "FunctionShellCallStatus",
    "FunctionShellToolParam",
    "FunctionTool",
    "FunctionToolCall",
    "FunctionToolCallOutput",
    "FunctionToolCallOutputResource",
    "FunctionToolParam",
    "GrammarSyntax1",
    "HTTPError",
    "HybridSearchOptions",
    "ImageDetail",
    "ImageGenActionEnum",
    "ImageGenTool",
    "ImageGenToolCall",
    "ImageUrl",
    "IncludeEnum",
    "IncompleteDetails",
    "InlineSkillParam",
    "InlineSkillSourceParam",
    "InputContent",
    "InputFidelity",
    "InputFileContent",
    "InputFileContentParam",
    "InputImageContent",
    "InputImageContentParamAutoParam",
    "InputImageMask",
    "InputItem",
    "InputMessage",
    "InputMessageContentList",
    "InputParam",
    "InputTextContent",
    "InputTextContentParam",
    "InputTokensDetails",
    "Item",
    "ItemReferenceParam",
    "KeyPressAction",
    "LocalEnvironmentParam",
    "LocalEnvironmentResource",
    "LocalShellExecAction",
    "LocalShellToolCall",
    "LocalShellToolCallOutput",
    "LocalShellToolParam",
    "LocalSkillParam",
    "LogProb",
    "MCPApprovalRequest",
    "MCPApprovalResponse",
    "MCPApprovalResponseResource",
    "MCPListTools",
    "MCPListToolsTool",
    "MCPProtocolError",
    "MCPTool",
    "MCPToolCall",
    "MCPToolCallError",
    "MCPToolCallStatus",
    "MCPToolExecutionError",
    "MCPToolFilter",
    "MaxOutputTokens",
    "MessagePhase",
    "MessageRole",
    "Metadata",
    "ModelIdsResponses",
    "ModelIdsShared",
    "ModelResponseProperties",
    "Moderation",
    "ModerationConfigParam",
    "ModerationErrorBody",
    "ModerationInputType",
    "ModerationMode",
    "ModerationParam",
    "ModerationPolicyParam",
    "ModerationResultBody",
    "MoveParam",
    "Name",
    "Namespace",
    "NamespaceToolParam",
    "Output",
    "Output1",
    "Output2",
    "OutputContent",
    "OutputItem",
    "OutputMessage",
    "OutputMessageContent",
    "OutputTextContent",
    "OutputTokensDetails",
    "Outputs",
    "Part",
    "Part1",
    "Program",
    "ProgramItemParam",
    "ProgramOutput",
    "ProgramOutputItemParam",
    "ProgramOutputItemStatus",
    "ProgramOutputStatus",
    "ProgramToolCallCaller",
    "ProgramToolCallCallerParam",
    "ProgrammaticToolCallingParam",
    "Prompt",
    "Prompt1",
    "PromptCacheBreakpointConfig",
    "PromptCacheBreakpointParam",
    "PromptCacheModeEnum",
    "PromptCacheOptions",
    "PromptCacheOptionsParam",
    "PromptCacheTTLEnum",
    "RankerVersionType",
    "RankingOptions",
    "Reasoning",
    "ReasoningEffort",
    "ReasoningItem",
    "ReasoningModeEnum",
    "ReasoningTextContent",
    "RefusalContent",
    "RequireApproval",
    "Response",
    "ResponseAudioDeltaEvent",
    "ResponseAudioDoneEvent",
    "ResponseAudioTranscriptDeltaEvent",
    "ResponseAudioTranscriptDoneEvent",
    "ResponseCodeInterpreterCallCodeDeltaEvent",
    "ResponseCodeInterpreterCallCodeDoneEvent",
    "ResponseCodeInterpreterCallCompletedEvent",
    "ResponseCodeInterpreterCallInProgressEvent",
    "ResponseCodeInterpreterCallInterpretingEvent",
    "ResponseCompletedEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseConversation",
    "ResponseCreatedEvent",
    "ResponseCustomToolCallInputDeltaEvent",
    "ResponseCustomToolCallInputDoneEvent",
    "ResponseError",
    "ResponseError1",
    "ResponseErrorCode",
    "ResponseErrorEvent",
    "ResponseFailedEvent",
    "ResponseFileSearchCallCompletedEvent",
    "ResponseFileSearchCallInProgressEvent",
    "ResponseFileSearchCallSearchingEvent",
    "ResponseFormatJsonObject",
    "ResponseFormatJsonSchemaSchema",
    "ResponseFormatText",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseImageGenCallCompletedEvent",
    "ResponseImageGenCallGeneratingEvent",
    "ResponseImageGenCallInProgressEvent",
    "ResponseImageGenCallPartialImageEvent",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponseLogProb",
    "ResponseMCPCallArgumentsDeltaEvent",
    "ResponseMCPCallArgumentsDoneEvent",
    "ResponseMCPCallCompletedEvent",
    "ResponseMCPCallFailedEvent",
    "ResponseMCPCallInProgressEvent",
    "ResponseMCPListToolsCompletedEvent",
    "ResponseMCPListToolsFailedEvent",
    "ResponseMCPListToolsInProgressEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseOutputTextAnnotationAddedEvent",
    "ResponsePromptVariables",
    "ResponseProperties",
    "ResponseQueuedEvent",
    "ResponseReasoningSummaryPartAddedEvent",
    "ResponseReasoningSummaryPartDoneEvent",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningSummaryTextDoneEvent",
    "ResponseReasoningTextDeltaEvent",
    "ResponseReasoningTextDoneEvent",
    "ResponseRefusalDeltaEvent",
    "ResponseRefusalDoneEvent",
    "ResponseShellCallCommandAddedStreamingEvent",
    "ResponseShellCallCommandDeltaStreamingEvent",
    "ResponseShellCallCommandDoneStreamingEvent",
    "ResponseShellCallOutputContentDeltaStreamingEvent",
    "ResponseShellCallOutputContentDoneStreamingEvent",
    "ResponseStreamEvent",
    "ResponseStreamOptions",
    "ResponseStreamOptions1",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseTextParam",
    "ResponseUsage",
    "ResponseWebSearchCallCompletedEvent",
    "ResponseWebSearchCallInProgressEvent",
    "ResponseWebSearchCallSearchingEvent",
    "ResponsesRequest",
    "Result",
    "SafetyIdentifier",
    "ScreenshotParam",
    "ScrollParam",
    "SearchContentType",
    "SearchContextSize",
    "ServiceTierResponses",
    "ShellCallOutputDelta",
    "SkillReferenceParam",
    "Skills",
    "Source",
    "SpecificApplyPatchParam",
    "SpecificFunctionShellParam",
    "SpecificProgrammaticToolCallingParam",
    "SummaryTextContent",
    "Temperature",
    "TextResponseFormatConfiguration",
    "TextResponseFormatJsonSchema",
    "Tool",
    "ToolCallCaller",
    "ToolCallCallerParam",
    "ToolChoiceAllowed",
    "ToolChoiceCustom",
    "ToolChoiceFunction",
    "ToolChoiceMCP",
    "ToolChoiceOptions",
    "ToolChoiceParam",
    "ToolChoiceTypes",
    "ToolSearchCall",
    "ToolSearchCallItemParam",
    "ToolSearchExecutionType",
    "ToolSearchOutput",
    "ToolSearchOutputItemParam",
    "ToolSearchToolParam",
    "Tools",
    "ToolsArray",
    "TopLogProb",
    "TopLogprob",
    "TopLogprobs",
    "TopLogprobs1",
    "TopLogprobs2",
    "TopP",
    "TypeParam",
    "UnknownAnnotation",
    "UnknownApplyPatchOperationParam",
    "UnknownComputerAction",
    "UnknownFilters",
    "UnknownFunctionAndCustomToolCallOutput",
    "UnknownFunctionShellCallOutputOutcomeParam",
    "UnknownInputContent",
    "UnknownMCPToolCallError",
    "UnknownOutput2",
    "UnknownOutputContent",
    "UnknownOutputItem",
    "UnknownOutputMessageContent",
    "UnknownOutputs",
    "UnknownResponseStreamEvent",
    "UnknownSkills",
    "UnknownTool",
    "UnknownToolCallCaller",
    "UnknownToolCallCallerParam",
    "UnknownTools",
    "UrlCitationBody",
    "VectorStoreFileAttributes",
    "VectorStoreFileAttributes1",
    "Verbosity",
    "WaitParam",
    "WebSearchActionFind",
    "WebSearchActionOpenPage",
    "WebSearchActionSearch",
    "WebSearchApproximateLocation",
    "WebSearchApproximateLocation1",
    "WebSearchPreviewTool",
    "WebSearchTool",
    "WebSearchToolCall",
]
