from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: int
    display_name: str = Field(validation_alias=AliasChoices("display_name", "nickname"))
