"""Header aliases per column role: the words people really put above their columns.

Aliases are written in simplified Chinese or lower-case English; headers are folded to that form
(full-width → half-width, traditional → simplified, punctuation and spaces dropped) before lookup,
so 手機號碼, 手机号码 and "手机 号码：" all meet the same alias.
"""
from __future__ import annotations

#: role → (label shown to users, exact aliases, keywords that may appear inside a longer header)
REGISTER_ROLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "customer_id": ("客户编号", ("客户编号", "客户编码", "客户id", "客户代码", "客户号", "编号", "会员号", "会员编号",
                                 "会员卡号", "customerid", "customerno", "customernumber", "custid", "clientid", "id"),
                    ("客户编号", "客户编码", "会员编号", "customerid")),
    "name": ("姓名", ("姓名", "客户姓名", "联系人", "负责人", "客户名称", "客户名", "名字", "称呼", "联系人姓名", "联络人",
                      "name", "fullname", "customername", "contact", "contactname", "客户"),
             ("姓名", "联系人", "负责人")),
    "gender": ("性别", ("性别", "性别男女", "gender", "sex"), ("性别",)),
    "mobile": ("手机", ("手机", "手机号", "手机号码", "移动电话", "手提电话", "手提", "mobile", "mobilephone", "cell",
                        "cellphone", "mobileno", "手机电话"),
               ("手机", "移动电话", "mobile", "cell")),
    "landline": ("电话", ("电话", "座机", "固定电话", "固话", "办公电话", "公司电话", "单位电话", "家庭电话", "tel",
                          "telephone", "landline", "officephone", "电话号码"),
                 ("座机", "固话", "固定电话", "办公电话")),
    "phone": ("联系电话", ("联系电话", "联系方式", "电话手机", "phone", "phoneno", "phonenumber", "contactnumber"),
              ("电话", "phone", "tel")),
    "fax": ("传真", ("传真", "传真号", "fax"), ("传真",)),
    "email": ("邮箱", ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail", "mail", "email地址", "邮箱地址", "电邮"),
              ("邮箱", "email", "e-mail", "邮件", "电邮")),
    "company": ("公司名称", ("公司名称", "公司", "单位", "单位名称", "企业名称", "企业", "工作单位", "所在公司",
                             "company", "companyname", "organization", "organisation", "employer"),
                ("公司", "单位", "企业名称", "company")),
    "uscc": ("统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码", "税号", "纳税人识别号", "uscc",
                                  "creditcode", "unifiedsocialcreditcode", "taxid"),
             ("信用代码", "纳税人识别号")),
    "id_number": ("身份证号", ("身份证号", "身份证", "身份证号码", "证件号", "证件号码", "身份证件号码", "idcard",
                               "idnumber", "idno", "nationalid"),
                  ("身份证", "证件号")),
    "province": ("省份", ("省份", "省", "所在省", "省市", "province", "state"), ("省份",)),
    "city": ("城市", ("城市", "市", "所在城市", "地市", "city"), ("城市",)),
    "district": ("区县", ("区县", "区", "县", "区/县", "district", "county"), ("区县",)),
    "sales_region": ("区域", ("区域", "地区", "大区", "片区", "销售区域", "所属区域", "region", "area", "territory"),
                     ("区域", "大区", "片区")),
    "address": ("地址", ("地址", "联系地址", "通讯地址", "详细地址", "住址", "家庭住址", "公司地址", "收货地址",
                         "address", "addr", "street"),
                ("地址", "住址", "address")),
    "birth_date": ("出生日期", ("出生日期", "生日", "出生年月", "birthday", "dateofbirth", "dob", "birthdate"),
                   ("出生", "生日")),
    "age": ("年龄", ("年龄", "age"), ("年龄",)),
    "age_band": ("年龄段", ("年龄段", "年龄组", "年龄层", "年龄区间", "agegroup", "ageband"), ("年龄段", "年龄组")),
    "occupation": ("职业", ("职业", "occupation", "profession"), ("职业",)),
    "position": ("职位", ("职位", "职务", "岗位", "title", "position", "jobtitle"), ("职位", "职务")),
    "industry": ("行业", ("行业", "所属行业", "industry", "sector"), ("行业",)),
    "first_contact": ("首次接触日期", ("首次接触日期", "首次接触", "首次联系日期", "建档日期", "登记日期", "创建日期",
                                       "入会日期", "firstcontact", "firstcontactdate", "createdate", "since"),
                      ("首次", "建档", "登记日期", "firstcontact", "firstpurchase")),
    "last_purchase": ("最近购买日期", ("最近购买日期", "最近购买", "最后购买日期", "最后购买", "最近消费日期",
                                       "最近下单日期", "最后交易日期", "lastpurchase", "lastpurchasedate", "lastorder",
                                       "lastorderdate"),
                      ("最近购买", "最后购买", "最近消费", "最后交易", "最近下单", "lastpurchase", "lastorder")),
    "purchase_count": ("购买次数", ("购买次数", "消费次数", "下单次数", "交易次数", "订单数", "购买频次", "frequency",
                                    "orders", "ordercount", "purchases", "purchasecount"),
                       ("次数", "频次", "订单数", "purchasecount", "ordercount", "frequency")),
    "total_spend": ("累计金额", ("累计金额", "累计消费", "消费金额", "累计消费金额", "购买金额", "交易金额", "总金额",
                                 "总消费", "销售额", "金额", "monetary", "totalspend", "revenue", "amount", "sales",
                                 "totalamount"),
                    ("累计金额", "消费金额", "累计消费", "总金额", "totalspend", "spend", "revenue", "sales")),
    "status": ("状态", ("状态", "客户状态", "跟进状态", "status"), ("状态",)),
    "intended_amount": ("意向签单额", ("意向签单额", "意向金额", "预计金额"), ("意向签单", "意向金额")),
    "product_preference": ("产品偏好", ("产品偏好", "意向产品", "偏好产品", "productpreference"), ("偏好", "意向产品")),
    "source_channel": ("来源渠道", ("来源渠道", "来源", "渠道", "客户来源", "获客渠道", "source", "channel"),
                       ("来源", "渠道")),
    "customer_type": ("客户类型", ("客户类型", "客户类别", "客户分类", "类型", "customertype", "type", "category"),
                      ("客户类型", "客户类别", "客户分类")),
    "tags": ("标签", ("标签", "tags", "tag"), ("标签",)),
    "remarks": ("备注", ("备注", "说明", "附注", "remark", "remarks", "note", "notes", "comment", "memo"), ("备注",)),
    "next_followup": ("下次跟进日期", ("下次跟进日期", "下次跟进", "下次联系日期", "跟进日期", "回访日期", "下次回访",
                                       "nextfollowup", "followupdate", "nextcontact"),
                      ("下次跟进", "下次联系", "回访", "nextfollowup", "followup")),
}

# English-language registers with the name and address split into parts (Febrl-style person records: given
# name, surname, street number, address lines, suburb, postcode, state, date of birth, social security id).
REGISTER_ROLES.update({
    "given_name": ("名", ("givenname", "firstname", "forename", "名"), ("givenname", "firstname", "forename")),
    "surname": ("姓", ("surname", "lastname", "familyname", "姓"), ("surname", "lastname", "familyname")),
    "street_number": ("门牌号", ("streetnumber", "streetno", "houseno", "housenumber", "门牌号"),
                      ("streetnumber", "streetno", "housenumber")),
    "address_2": ("地址第二行", ("address2", "addressline2", "address_2", "地址2"), ("addressline2",)),
    "suburb": ("区镇", ("suburb", "locality", "town", "区镇"), ("suburb", "locality")),
    "postcode": ("邮编", ("postcode", "zip", "zipcode", "postalcode", "邮编", "邮政编码"),
                 ("postcode", "zipcode", "postalcode", "邮编")),
    "soc_sec_id": ("社保号", ("socsecid", "ssn", "socialsecuritynumber", "socialsecurityid", "socsecno", "社保号",
                              "社会保障号"),
                   ("socsec", "socialsecurity", "社保号")),
})

SURVEY_ROLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "respondent": ("答卷编号", ("答卷编号", "问卷编号", "序号", "编号", "受访者", "受访者编号", "客户编号", "respondent",
                                "respondentid", "responseid", "id"),
                   ("问卷编号", "答卷编号", "受访者")),
    "group": ("门店/分组", ("门店", "分店", "网点", "市场", "店铺", "营业厅", "区域", "分组", "组别", "store", "branch",
                            "market", "group", "shop"),
              ("门店", "分店", "网点", "店铺")),
    "gender": ("性别", ("性别", "gender", "sex"), ("性别",)),
    "age_band": ("年龄段", ("年龄段", "年龄", "年龄组", "agegroup", "ageband", "age"), ("年龄",)),
    "recommend": ("推荐意愿", ("推荐意愿", "推荐", "愿意推荐", "推荐可能性", "nps", "recommend", "likelihoodtorecommend"),
                  ("推荐",)),
    "overall": ("总体满意度", ("总体满意度", "整体满意度", "总体满意", "综合满意度", "overall", "overallsatisfaction"),
                ("总体满意", "整体满意", "综合满意")),
    "comments": ("意见建议", ("意见", "建议", "意见建议", "意见和建议", "评论", "留言", "其他意见", "comments", "comment",
                              "feedback", "suggestions"),
                 ("意见", "建议", "留言")),
    "duration": ("答题用时", ("答题用时", "用时", "答题时长", "所用时间", "duration", "timetaken", "seconds"),
                 ("用时", "时长")),
    "submitted_at": ("提交时间", ("提交时间", "填写时间", "答卷时间", "日期", "submittedat", "timestamp", "date"),
                     ("提交时间", "填写时间")),
}

ORDER_ROLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "customer_id": REGISTER_ROLES["customer_id"],
    "name": REGISTER_ROLES["name"],
    "order_date": ("下单日期", ("下单日期", "订单日期", "日期", "交易日期", "购买日期", "消费日期", "orderdate", "date",
                                "purchasedate"),
                   ("日期",)),
    "amount": ("金额", ("金额", "订单金额", "交易金额", "消费金额", "实付金额", "revenue", "amount", "sales", "total"),
               ("金额",)),
    # what the customer report uses beyond who / when / how much (duplicate ids, baskets, margin, returns, channels)
    "order_id": ("订单编号", ("订单编号", "订单号", "单号", "订单id", "单据编号", "单据号", "流水号", "orderid", "orderno",
                              "ordernumber", "invoiceno", "invoice"),
                 ("订单编号", "订单号", "单据编号", "orderid", "orderno")),
    "product": ("产品", ("产品", "产品名称", "商品", "商品名称", "品名", "品类", "产品类别", "商品类别", "货品", "sku",
                         "product", "productname", "item", "category", "stockcode"),
                ("产品", "商品", "品类", "品名", "product")),
    "cost": ("成本", ("成本", "成本金额", "进价", "采购成本", "cost", "costprice", "cogs"), ("成本", "cost")),
    "margin": ("毛利", ("毛利", "毛利额", "毛利润", "利润", "margin", "grossmargin", "profit", "grossprofit"),
               ("毛利", "利润", "margin", "profit")),
    "order_type": ("订单类型", ("订单类型", "单据类型", "交易类型", "类型", "业务类型", "ordertype", "type",
                                "transactiontype"),
                   ("订单类型", "单据类型", "交易类型")),
    "channel": ("销售渠道", ("销售渠道", "渠道", "下单渠道", "订单来源", "来源", "channel", "saleschannel"),
                ("渠道", "channel")),
}

ROLE_SETS = {"register": REGISTER_ROLES, "survey": SURVEY_ROLES, "orders": ORDER_ROLES}


def role_label(role: str) -> str:
    """Chinese label of a role, for tables shown to users."""
    for table in ROLE_SETS.values():
        if role in table:
            return table[role][0]
    return {"item": "量表题", "unknown": "未识别"}.get(role, role)


from .log_aliases import LOG_ROLES  # noqa: E402  (it reuses REGISTER_ROLES above)

ROLE_SETS["complaints"] = LOG_ROLES
