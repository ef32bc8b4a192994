"""Company keys and regions (province, city, address split)."""
import pytest

from udfs.normalise.company import company_key
from udfs.normalise.region import canonical_city, canonical_province, split_address


def test_company_variants_share_a_key():
    variants = ["北京华为技术有限公司", "华为技术（北京）有限公司", "華為技術有限責任公司", "华为技术有限公司深圳分公司",
                "华为技术股份有限公司", "华为技术(北京)有限公司"]
    assert set(company_key(variants)) == {"华为技术"}


@pytest.mark.parametrize("raw, key", [
    ("Huawei Technologies Co., Ltd.", "huaweitechnologies"), ("HUAWEI TECHNOLOGIES CO.,LTD", "huaweitechnologies"),
    ("Tesco PLC", "tesco"), ("TESCO", "tesco"), ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
    ("腾讯科技(深圳)有限公司", "腾讯科技"), ("阿里巴巴集团控股有限公司", "阿里巴巴"), ("海南航空控股股份有限公司", "海南航空"),
    ("有限公司", "有限公司"), ("广东省广州酒家集团股份有限公司", "广州酒家"), (None, None),
])
def test_company_key_cases(raw, key):
    assert company_key([raw]).iloc[0] == key


def test_different_companies_stay_apart():
    keys = company_key(["四川航空股份有限公司", "海南航空控股股份有限公司", "中国东方航空股份有限公司"])
    assert len(set(keys)) == 3


@pytest.mark.parametrize("raw, full", [
    ("广东", "广东省"), ("廣東省", "广东省"), ("北京", "北京市"), ("内蒙古", "内蒙古自治区"), ("广西", "广西壮族自治区"),
    ("香港", "香港特别行政区"), (" 新疆 ", "新疆维吾尔自治区"), ("火星", None),
])
def test_canonical_province(raw, full):
    assert canonical_province([raw]).iloc[0] == full


@pytest.mark.parametrize("raw, full", [
    ("廣州", "广州市"), ("广州市", "广州市"), ("北京", "北京市"), ("延边", "延边朝鲜族自治州"), ("吉林", "吉林市"),
    ("深圳", "深圳市"), ("乌鲁木齐", "乌鲁木齐市"), ("某某", None),
])
def test_canonical_city(raw, full):
    assert canonical_city([raw]).iloc[0] == full


def test_region_table_counts():
    from udfs.normalise.region import _tables

    t = _tables()
    # 34 provincial-level divisions (23 provinces incl. Taiwan, 5 autonomous regions, 4 municipalities, 2 SARs)
    assert len(set(t.province_by_name.values())) == 34
    assert len(t.municipalities) == 4


@pytest.mark.parametrize("address, parts", [
    ("广东省广州市天河区体育西路1号", ("广东省", "广州市", "天河区", "体育西路1号")),
    ("北京朝阳区建国路88号", ("北京市", "北京市", "朝阳区", "建国路88号")),
    ("廣東省廣州市天河區體育西路", ("广东省", "广州市", "天河区", "體育西路")),
    ("中国浙江省杭州市西湖区", ("浙江省", "杭州市", "西湖区", None)),
    ("上海浦东新区世纪大道", ("上海市", "上海市", "浦东新区", "世纪大道")),
    ("深圳市南山区科技园", ("广东省", "深圳市", "南山区", "科技园")),
    ("某某路1号", (None, None, None, "某某路1号")),
])
def test_split_address(address, parts):
    assert tuple(split_address([address]).iloc[0]) == parts


def test_split_address_uses_known_city_to_pick_district():
    got = split_address(["朝阳区xx路", "朝阳区yy路"], city=["北京市", "长春市"])
    assert got["province"].tolist() == ["北京市", "吉林省"]
    assert got["district"].tolist() == ["朝阳区", "朝阳区"]
