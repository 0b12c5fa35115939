"""Assets (Airflow 2's Datasets) as declarations: DAG files may name them; event scheduling is not run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class BaseAsset:
    """Something an asset expression combines with `&` and `|`."""

    def __and__(self, other: BaseAsset) -> AssetAll:
        return AssetAll(self, other)

    def __or__(self, other: BaseAsset) -> AssetAny:
        return AssetAny(self, other)


@dataclass(frozen=True, eq=True)
class Asset(BaseAsset):
    """A named piece of data a task produces (outlets) or a DAG waits for (schedule)."""

    name: str | None = None
    uri: str | None = None
    group: str = "asset"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.name is None and self.uri is None:
            raise TypeError("Asset needs a name or a uri")
        if self.uri is None:
            object.__setattr__(self, "uri", self.name)
        if self.name is None:
            object.__setattr__(self, "name", self.uri)


@dataclass(frozen=True)
class AssetAlias(BaseAsset):
    """A name resolved to assets at run time."""

    name: str
    group: str = "asset"


class AssetAll(BaseAsset):
    """All of the given assets."""

    def __init__(self, *objects: BaseAsset) -> None:
        self.objects = list(objects)


class AssetAny(BaseAsset):
    """Any of the given assets."""

    def __init__(self, *objects: BaseAsset) -> None:
        self.objects = list(objects)


@dataclass
class Metadata:
    """Extra information attached to an asset event by a task."""

    asset: Any
    extra: dict[str, Any]
    alias: Any = None


Dataset = Asset
DatasetAlias = AssetAlias
DatasetAll = AssetAll
DatasetAny = AssetAny
